/**
 * The pictures `duckdag graph` draws (`svg`, `html`): the selected assets coloured by their latest
 * status for one partition (by default the latest one materialized), read from the history.
 */
import { existsSync } from 'node:fs';
import { todayPartitionKey } from '../kernel/daily-partitions.ts';
import type { ResolvedConfig } from '../project/duckdag-config.ts';
import type { AssetStaleness } from '../kernel/staleness.ts';
import type { AssetHistory } from '../../storage/asset-history.ts';
import type { CliSession } from './cli-session.ts';
import { buildGraphData, stripDays } from './graph-data.ts';
import { graphPage } from './graph-page.ts';
import { drawGraph } from './graph-svg.ts';

/** Materializations listed per asset in the page's panel. */
const recentMaterializations = 10;

export async function graphPicture(
  session: CliSession,
  config: ResolvedConfig,
  options: { format: 'svg' | 'html'; names: readonly string[]; partitionKey: string | undefined },
): Promise<string> {
  const { partitionKey, history, staleness } = await readHistory(session, config, options.partitionKey);
  const data = buildGraphData(config.graph, config.kinds, options.names, history, partitionKey, staleness);
  const svg = await drawGraph(data);
  return options.format === 'svg' ? svg : graphPage(data, svg);
}

async function readHistory(
  session: CliSession,
  config: ResolvedConfig,
  requested: string | undefined,
): Promise<{ partitionKey: string; history: AssetHistory; staleness: ReadonlyMap<string, AssetStaleness> }> {
  const [{ emptyAssetHistory, latestMaterializedPartition, readAssetHistory }, { projectCodeVersions, projectStaleness }] = await Promise.all([
    import('../../storage/asset-history.ts'),
    import('./project-staleness.ts'),
  ]);
  const codeVersions = await projectCodeVersions(config, session.io);
  if (!existsSync(config.warehousePath)) {
    const partitionKey = requested ?? todayPartitionKey();
    return { partitionKey, history: emptyAssetHistory, staleness: (await projectStaleness(config.graph, codeVersions, null))(partitionKey) };
  }
  return session.withWarehouse(config, 'read_only', 'duckdag graph', async (warehouse) => {
    const connection = await warehouse.connect();
    const partitionKey = requested ?? (await latestMaterializedPartition(connection)) ?? todayPartitionKey();
    const history = await readAssetHistory(connection, { partitionKey, days: stripDays, recent: recentMaterializations });
    return { partitionKey, history, staleness: (await projectStaleness(config.graph, codeVersions, connection))(partitionKey) };
  });
}
