/**
 * `duckdag status`: the latest materialization of each asset and partition, and whether it is
 * fresh, stale (with the causes) or missing.
 */
import type { Argv } from 'yargs';
import { parsePartitionKey } from '../kernel/daily-partitions.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function statusCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'status',
    'Show the latest materialization of each asset and partition',
    (command) => command.option('partition', { alias: 'p', type: 'string', describe: 'Only this partition (YYYY-MM-DD)' }),
    async (args) => {
      const partitionKey = args.partition === undefined ? undefined : parsePartitionKey(args.partition);
      const config = await session.config(args);
      const [{ latestMaterializations }, { writeRows }, { projectCodeVersions, projectStaleness }] = await Promise.all([
        import('../../storage/history-queries.ts'),
        import('./write-rows.ts'),
        import('./project-staleness.ts'),
      ]);
      const codeVersions = await projectCodeVersions(config, session.io);
      const rows = await session.withWarehouse(config, 'read_only', 'duckdag status', async (warehouse) => {
        const latest = await latestMaterializations(await warehouse.connect(), { partitionKey });
        // Staleness at each partition shown; assets never materialized there are listed as missing.
        const partitions = new Set(latest.rows.map((row) => (row[1] ?? null) as string | null));
        if (partitionKey !== undefined) partitions.add(partitionKey);
        if (partitions.size === 0) partitions.add(null);
        const rowsOut: unknown[][] = [];
        for (const key of partitions) {
          const staleness = await projectStaleness(config.graph, codeVersions, warehouse, key);
          for (const name of config.graph.topologicalOrder) {
            const partition = config.graph.get(name).partitions === null ? null : key;
            const row = latest.rows.find((candidate) => candidate[0] === name && (candidate[1] ?? null) === partition);
            if (row === undefined && (partition !== key && partitions.size > 1)) continue;
            if (rowsOut.some((existing) => existing[0] === name && existing[1] === partition)) continue;
            const assessed = staleness.get(name)!;
            const base = row ?? [name, partition, null, null, null, null, null, null, null];
            rowsOut.push([...base.slice(0, 3), assessed.state, assessed.causes.map((cause) => cause.message).join('; '), ...base.slice(3)]);
          }
        }
        const columns = [...latest.columns.slice(0, 3), 'state', 'causes', ...latest.columns.slice(3)];
        return { columns, rows: rowsOut.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1] ?? '').localeCompare(String(b[1] ?? ''))) };
      });
      writeRows(session.io, rows, args.json ? 'json' : 'table');
    },
  );
}
