/** `duckdag list`: the project's assets with their kind, group, upstream and last status. */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function listCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'list',
    'List the assets',
    (command) => command,
    async (args) => {
      const config = await session.config(args);
      const [{ latestMaterializations }, { writeRows }] = await Promise.all([import('../../storage/history-queries.ts'), import('./write-rows.ts')]);
      const latest = existsSync(config.warehousePath)
        ? await session.withWarehouse(config, 'read_only', 'duckdag list', async (warehouse) =>
            latestMaterializations(await warehouse.connect(), { perAsset: true }),
          )
        : { columns: [], rows: [] };
      const lastByAsset = new Map(latest.rows.map((row) => [String(row[0]), row]));
      const rows = config.graph.topologicalOrder.map((name) => {
        const asset = config.graph.get(name);
        const last = lastByAsset.get(name);
        return [
          name,
          asset.kind,
          asset.group,
          config.graph.parents(name).join(', '),
          asset.partitions === null ? '' : `daily(${asset.partitions.column})`,
          last?.[2] ?? 'never',
          last?.[1] ?? null,
          last?.[4] ?? null,
        ];
      });
      writeRows(
        session.io,
        { columns: ['asset', 'kind', 'group', 'deps', 'partitions', 'last_status', 'last_partition', 'last_finished_at'], rows },
        args.json ? 'json' : 'table',
      );
    },
  );
}
