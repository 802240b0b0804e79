/**
 * The pictures `duckdag graph` draws (`svg`, `html`): the selected assets coloured by their latest
 * status for one partition (by default the latest one materialized), read from the history.
 */
import { existsSync } from 'node:fs';
import { todayPartitionKey } from '../kernel/daily-partitions.ts';
import type { ResolvedConfig } from '../project/duckdag-config.ts';
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
  const { partitionKey, history } = await readHistory(session, config, options.partitionKey);
  const data = buildGraphData(config.graph, config.kinds, options.names, history, partitionKey);
  const svg = await drawGraph(data);
  return options.format === 'svg' ? svg : graphPage(data, svg);
}

async function readHistory(
  session: CliSession,
  config: ResolvedConfig,
  requested: string | undefined,
): Promise<{ partitionKey: string; history: AssetHistory }> {
  const { emptyAssetHistory, latestMaterializedPartition, readAssetHistory } = await import('../../storage/asset-history.ts');
  if (!existsSync(config.warehousePath)) return { partitionKey: requested ?? todayPartitionKey(), history: emptyAssetHistory };
  return session.withWarehouse(config, 'read_only', 'duckdag graph', async (warehouse) => {
    const connection = await warehouse.connect();
    const partitionKey = requested ?? (await latestMaterializedPartition(connection)) ?? todayPartitionKey();
    return { partitionKey, history: await readAssetHistory(connection, { partitionKey, days: stripDays, recent: recentMaterializations }) };
  });
}
