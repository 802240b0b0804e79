/** The web UI's graph: the graph page of `duckdag graph --format html`, kept live by the server's events. */
import { selectAssets } from '../../kernel/asset-selection.ts';
import { todayPartitionKey } from '../../kernel/daily-partitions.ts';
import type { ResolvedConfig } from '../../project/duckdag-config.ts';
import { emptyAssetHistory, latestMaterializedPartition, readAssetHistory, type AssetHistory } from '../../../storage/asset-history.ts';
import { buildGraphData, stripDays } from '../graph-data.ts';
import { graphPage } from '../graph-page.ts';
import { projectStaleness } from '../project-staleness.ts';
import { drawGraph } from '../graph-svg.ts';
import { navBar } from './web-layout.ts';
import { staticFile } from './web-static.ts';
import type { WarehouseConnection } from '../../../storage/warehouse-access.ts';

const recentMaterializations = 10;

/** The page for `requested` (default: the latest materialized); `connection` is `null` before the warehouse exists. */
export async function graphView(
  config: ResolvedConfig,
  codeVersions: ReadonlyMap<string, string>,
  connection: WarehouseConnection | null,
  requested: string | null,
): Promise<string> {
  const partitionKey = requested ?? (connection === null ? null : await latestMaterializedPartition(connection)) ?? todayPartitionKey();
  const history: AssetHistory =
    connection === null ? emptyAssetHistory : await readAssetHistory(connection, { partitionKey, days: stripDays, recent: recentMaterializations });
  const staleness = (await projectStaleness(config.graph, codeVersions, connection))(partitionKey);
  const names = selectAssets(config.graph, '*');
  const data = buildGraphData(config.graph, config.kinds, names, history, partitionKey, staleness);
  return graphPage(data, await drawGraph(data), {
    nav: navBar('/graph').text,
    script: staticFile('graph-live.js')!.body,
    style: staticFile('graph-live.css')!.body,
  });
}
