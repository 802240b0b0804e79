/** How DuckDB may use the machine while a command runs: memory, threads, row group size. */

/** DuckDB's resources for one command. Unset fields keep DuckDB's own defaults. */
export interface DuckdbSettings {
  /**
   * DuckDB's `memory_limit`, e.g. `'512MB'` or `'4GB'`: the ceiling of its buffer manager, past which
   * queries spill to `<warehouse>.tmp/`. `DUCKDAG_MEMORY_LIMIT` overrides it. @default 80% of RAM
   */
  readonly memoryLimit?: string;
  /** DuckDB's worker threads. `DUCKDAG_THREADS` overrides it. @default the number of CPU cores */
  readonly threads?: number;
  /**
   * Rows per row group in the tables a command writes, a multiple of 2048. DuckDB holds a row group
   * in memory while writing it, so tables of wide rows (whole JSON documents) write in less memory
   * with smaller groups. @default 122880
   */
  readonly rowGroupSize?: number;
}
