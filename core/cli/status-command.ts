/**
 * `duckdag status`: the latest materialization of each asset and partition, whether it is fresh,
 * stale (with the causes) or missing, and its checks; under the table, each check that did not
 * pass, with sample failing rows.
 */
import type { Argv } from 'yargs';
import { parsePartitionKey } from '../kernel/daily-partitions.ts';
import type { CheckResult } from '../runtime/check-result.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function statusCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'status',
    'Show the latest materialization of each asset and partition, its staleness and its checks',
    (command) => command.option('partition', { alias: 'p', type: 'string', describe: 'Only this partition (YYYY-MM-DD)' }),
    async (args) => {
      const partitionKey = args.partition === undefined ? undefined : parsePartitionKey(args.partition);
      const config = await session.config(args);
      const [{ latestCheckResults, latestMaterializations }, { writeRows }, { projectCodeVersions, projectStaleness }, { checksSummary, failedCheckLines }] =
        await Promise.all([
          import('../../storage/history-queries.ts'),
          import('./write-rows.ts'),
          import('./project-staleness.ts'),
          import('./check-lines.ts'),
        ]);
      const codeVersions = await projectCodeVersions(config, session.io);
      const { rows, checks } = await session.withWarehouse(config, 'read_only', 'duckdag status', async (warehouse) => {
        const connection = await warehouse.connect();
        const latest = await latestMaterializations(connection, { partitionKey });
        // Staleness at each partition shown; assets never materialized there are listed as missing.
        const partitions = new Set(latest.rows.map((row) => (row[1] ?? null) as string | null));
        if (partitionKey !== undefined) partitions.add(partitionKey);
        if (partitions.size === 0) partitions.add(null);
        const rowsOut: unknown[][] = [];
        const judge = await projectStaleness(config.graph, codeVersions, connection);
        for (const key of partitions) {
          const staleness = judge(key);
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
        const sorted = rowsOut.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1] ?? '').localeCompare(String(b[1] ?? '')));
        return { rows: { columns, rows: sorted }, checks: await latestCheckResults(connection, { partitionKey }) };
      });
      const checksOf = (row: readonly unknown[]): CheckResult[] => checks.filter((check) => check.asset === row[0] && check.partitionKey === (row[1] ?? null));
      const columns = [...rows.columns, 'checks'];
      if (args.json) {
        writeRows(session.io, { columns, rows: rows.rows.map((row) => [...row, checksOf(row)]) }, 'json');
        return;
      }
      const summary = (row: readonly unknown[]) => checksSummary(checksOf(row)).replace(/^ · /, '');
      writeRows(session.io, { columns, rows: rows.rows.map((row) => [...row, summary(row)]) }, 'table');
      const failed = checks.filter((check) => !check.passed);
      if (failed.length > 0) session.io.stdout.write('\nchecks that did not pass:\n');
      for (const check of failed) {
        session.io.stdout.write(`${check.asset}${check.partitionKey === null ? '' : ` [${check.partitionKey}]`}\n${failedCheckLines([check], 3).join('\n')}\n`);
      }
    },
  );
}
