/**
 * The web UI's live events, where runs happen (a worker of `duckdag serve`): every run's events (a
 * schedule's or one launched from the page) become `statuses`, a list of [asset, status] for the
 * asset's partition (a running asset is `running`), and `run` when a run starts or ends, handed to
 * `publish` (to the front process, whose `LiveFeed` numbers them and streams them to the pages). It
 * also keeps what the pages of runs need beyond the warehouse: plans, and the assets running now.
 */
import type { AssetGraph } from '../../kernel/asset-graph.ts';
import type { RunEvent } from '../../runtime/run-result.ts';
import type { RunPlan } from '../../runtime/run-plan.ts';
import { assetStatus, type AssetStatus } from '../graph-data.ts';

/** An asset's status for one partition (`null`: unpartitioned), as the graph page applies it. */
export interface LiveStatus extends AssetStatus {
  readonly partitionKey: string | null;
}

/** One event of the live feed, before it is numbered. */
export type LiveEvent =
  | { readonly name: 'statuses'; readonly data: readonly (readonly [string, LiveStatus])[] }
  | { readonly name: 'run'; readonly data: { readonly runId: string; readonly status: string; readonly partitionKey: string | null } };

/** Plans kept for the pages of the runs started since the process did. */
const keptPlans = 100;

export class LiveEvents {
  readonly #graph: AssetGraph;
  readonly #publish: (event: LiveEvent) => void;
  /** The partition of each asset of the run in progress. */
  #runPartitions = new Map<string, string | null>();
  readonly #plans = new Map<string, RunPlan>();
  /** The run in progress and when each of its running assets started. */
  #running: { readonly runId: string; readonly assets: Map<string, Date> } | null = null;

  constructor(graph: AssetGraph, publish: (event: LiveEvent) => void) {
    this.#graph = graph;
    this.#publish = publish;
  }

  /** Takes a run's events. */
  readonly onRunEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'run_started':
        this.#plans.set(event.runId, event.plan);
        if (this.#plans.size > keptPlans) this.#plans.delete(this.#plans.keys().next().value!);
        this.#runPartitions = new Map(event.plan.steps.map((step) => [step.asset, step.partitionKey]));
        this.#running = { runId: event.runId, assets: new Map() };
        this.#publish({ name: 'run', data: { runId: event.runId, status: 'running', partitionKey: event.plan.partitionKey } });
        return;
      case 'asset_started': {
        const kind = this.#graph.get(event.asset).kind;
        const partitionKey = this.#runPartitions.get(event.asset) ?? null;
        const startedAt = new Date();
        this.#running?.assets.set(event.asset, startedAt);
        const since = startedAt.toISOString().slice(11, 19);
        this.#status(event.asset, { status: 'running' as AssetStatus['status'], rowCount: null, finishedAt: null, detail: null, summary: kind, statusLine: `running since ${since}Z`, partitionKey });
        return;
      }
      case 'asset_finished': {
        const { result } = event;
        this.#running?.assets.delete(result.asset);
        const finishedAt = new Date().toISOString().slice(0, 19) + 'Z';
        const record = { ...result, finishedAt, metadata: result.metadata };
        const status = assetStatus(this.#graph.get(result.asset).kind, record, result.status === 'materialized' ? result.rowCount : null);
        this.#status(result.asset, { ...status, partitionKey: result.partitionKey });
        return;
      }
      case 'run_finished':
        if (this.#running?.runId === event.result.runId) this.#running = null;
        this.#publish({ name: 'run', data: { runId: event.result.runId, status: event.result.status, partitionKey: event.result.partitionKey } });
        return;
      default:
    }
  };

  /** The plan of a run started since this process did, or `null`. */
  planOf(runId: string): RunPlan | null {
    return this.#plans.get(runId) ?? null;
  }

  /** The assets of run `runId` running now, with when each started (none when the run is not in progress). */
  runningAssets(runId: string): ReadonlyMap<string, Date> {
    return this.#running?.runId === runId ? new Map(this.#running.assets) : new Map();
  }

  #status(asset: string, status: LiveStatus): void {
    this.#publish({ name: 'statuses', data: [[asset, status]] });
  }
}
