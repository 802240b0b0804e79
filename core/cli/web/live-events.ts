/**
 * The web UI's live feed: every run's events (a schedule's or one launched from the page) become
 * server-sent events: `statuses`, a list of [asset, status] for the asset's partition (a running
 * asset is `running`), and `run` when a run starts or ends, each numbered. A page that connects is
 * first sent the statuses seen since the server started, numbered as the latest event, so it misses
 * nothing between its load and its connection.
 */
import type { ServerResponse } from 'node:http';
import type { AssetGraph } from '../../kernel/asset-graph.ts';
import type { RunEvent } from '../../runtime/run-result.ts';
import type { RunPlan } from '../../runtime/run-plan.ts';
import { assetStatus, type AssetStatus } from '../graph-data.ts';

/** An asset's status for one partition (`null`: unpartitioned), as the graph page applies it. */
export interface LiveStatus extends AssetStatus {
  readonly partitionKey: string | null;
}

/** Statuses kept for pages that connect later; the oldest go first. */
const keptStatuses = 10_000;
/** Plans kept for the pages of the runs started since the server did. */
const keptPlans = 100;
const heartbeatMs = 25_000;

export class LiveEvents {
  readonly #graph: AssetGraph;
  readonly #clients = new Set<ServerResponse>();
  readonly #statuses = new Map<string, readonly [string, LiveStatus]>();
  /** The partition of each asset of the run in progress. */
  #runPartitions = new Map<string, string | null>();
  #heartbeat: NodeJS.Timeout | null = null;
  readonly #plans = new Map<string, RunPlan>();
  /** The run in progress and when each of its running assets started. */
  #running: { readonly runId: string; readonly assets: Map<string, Date> } | null = null;
  /** How many events have been sent: each event's id, so a page knows what happened after it was made. */
  #version = 0;

  constructor(graph: AssetGraph) {
    this.#graph = graph;
  }

  /** Takes a run's events. */
  readonly onRunEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'run_started':
        this.#plans.set(event.runId, event.plan);
        if (this.#plans.size > keptPlans) this.#plans.delete(this.#plans.keys().next().value!);
        this.#runPartitions = new Map(event.plan.steps.map((step) => [step.asset, step.partitionKey]));
        this.#running = { runId: event.runId, assets: new Map() };
        this.#send('run', { runId: event.runId, status: 'running', partitionKey: event.plan.partitionKey });
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
        this.#send('run', { runId: event.result.runId, status: event.result.status, partitionKey: event.result.partitionKey });
        return;
      default:
    }
  };

  /** The number of the latest event; a page made now follows the events numbered after it. */
  get version(): number {
    return this.#version;
  }

  /** The plan of a run started since the server did, or `null`. */
  planOf(runId: string): RunPlan | null {
    return this.#plans.get(runId) ?? null;
  }

  /** The assets of run `runId` running now, with when each started (none when the run is not in progress). */
  runningAssets(runId: string): ReadonlyMap<string, Date> {
    return this.#running?.runId === runId ? new Map(this.#running.assets) : new Map();
  }

  /** Streams the events to `response` until the page goes away. */
  connect(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write('retry: 2000\n\n');
    response.write(event('statuses', [...this.#statuses.values()], this.#version));
    this.#clients.add(response);
    response.on('close', () => {
      this.#clients.delete(response);
      if (this.#clients.size === 0 && this.#heartbeat !== null) {
        clearInterval(this.#heartbeat);
        this.#heartbeat = null;
      }
    });
    // A comment now and then keeps proxies from closing a quiet stream.
    this.#heartbeat ??= setInterval(() => this.#write(': still here\n\n'), heartbeatMs).unref();
  }

  /** Ends every stream, so the server can close. */
  close(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #status(asset: string, status: LiveStatus): void {
    const key = `${asset}@${status.partitionKey ?? ''}`;
    this.#statuses.delete(key);
    this.#statuses.set(key, [asset, status]);
    if (this.#statuses.size > keptStatuses) this.#statuses.delete(this.#statuses.keys().next().value!);
    this.#send('statuses', [[asset, status]]);
  }

  #send(name: string, data: unknown): void {
    this.#version += 1;
    this.#write(event(name, data, this.#version));
  }

  #write(text: string): void {
    for (const client of this.#clients) client.write(text);
  }
}

function event(name: string, data: unknown, id: number): string {
  return `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
