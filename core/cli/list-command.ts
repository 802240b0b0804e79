/**
 * `duckdag list`: the project's assets with their kind, group, upstream, last status, and whether
 * their last partition is fresh, stale (with the causes) or missing.
 */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { AssetStaleness } from '../kernel/staleness.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function listCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'list',
    'List the assets',
    (command) => command,
    async (args) => {
      const config = await session.config(args);
      const [{ latestMaterializations }, { writeRows }, { projectCodeVersions, projectStaleness }] = await Promise.all([
        import('../../storage/history-queries.ts'),
        import('./write-rows.ts'),
        import('./project-staleness.ts'),
      ]);
      const codeVersions = await projectCodeVersions(config, session.io);
      const { latest, staleness } = existsSync(config.warehousePath)
        ? await session.withWarehouse(config, 'read_only', 'duckdag list', async (warehouse) => {
            const latest = await latestMaterializations(await warehouse.connect(), { perAsset: true });
            // Each asset is judged at its own last partition.
            const judge = await projectStaleness(config.graph, codeVersions, await warehouse.connect());
            const staleness = new Map<string | null, Map<string, AssetStaleness>>();
            for (const partition of new Set(latest.rows.map((row) => (row[1] ?? null) as string | null))) staleness.set(partition, judge(partition));
            return { latest, staleness };
          })
        : { latest: { columns: [], rows: [] }, staleness: new Map<string | null, Map<string, AssetStaleness>>() };
      const lastByAsset = new Map(latest.rows.map((row) => [String(row[0]), row]));
      const rows = config.graph.topologicalOrder.map((name) => {
        const asset = config.graph.get(name);
        const last = lastByAsset.get(name);
        const assessed = last === undefined ? undefined : staleness.get((last[1] ?? null) as string | null)?.get(name);
        return [
          name,
          asset.kind,
          asset.group,
          config.graph.parents(name).join(', '),
          asset.partitions === null ? '' : `daily(${asset.partitions.column})`,
          last?.[2] ?? 'never',
          last?.[1] ?? null,
          last?.[4] ?? null,
          assessed?.state ?? 'missing',
          assessed?.causes.map((cause) => cause.message).join('; ') ?? '',
        ];
      });
      writeRows(
        session.io,
        { columns: ['asset', 'kind', 'group', 'deps', 'partitions', 'last_status', 'last_partition', 'last_finished_at', 'state', 'causes'], rows },
        args.json ? 'json' : 'table',
      );
    },
  );
}
