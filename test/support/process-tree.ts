/** What Linux's /proc says of a process: its children (serve's workers), and whether it has loaded DuckDB's library. */
import { readFileSync } from 'node:fs';

/** The pids of the process's children alive now. */
export function childPids(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children === '' ? [] : children.split(/\s+/).map(Number);
}

/** Whether DuckDB's library is mapped into the process. */
export function loadsDuckdb(pid: number): boolean {
  return /libduckdb/.test(readFileSync(`/proc/${pid}/maps`, 'utf8'));
}
