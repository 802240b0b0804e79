/**
 * Runs launched from the web UI: a selection for one partition or a range of them (a backfill, one
 * run per partition, oldest first), planned first so the page can show the plan before it is
 * confirmed, then run on the warehouse once nothing else writes it; a launch can be cancelled
 * (its run is recorded `cancelled`). While a schedule's run writes the warehouse, a launch is
 * refused with the reason; a tick due during a launched run waits for it.
 */
import { selectAssets } from '../../kernel/asset-selection.ts';
import type { AssetGraph } from '../../kernel/asset-graph.ts';
import { parsePartitionKey } from '../../kernel/daily-partitions.ts';
import { ConfigError, describeError, DuckdagError, WarehouseBusyError } from '../../kernel/errors.ts';
import { isPartitionSet, parsePartitionSet } from '../../kernel/partition-set.ts';
import type { ResourceValues } from '../../kernel/resources.ts';
import { backfill } from '../../runtime/backfill.ts';
import type { RunEvent } from '../../runtime/run-result.ts';
import { planRun, warehouseReads, type RunPlan } from '../../runtime/run-plan.ts';
import type { WarehouseAccess } from '../../../storage/warehouse-access.ts';
import { heldPartitions } from '../../../storage/web-ui-queries.ts';

/** What to run, as the launch form gives it. */
export interface LaunchRequest {
  readonly select: string;
  readonly exclude?: string;
  /** `YYYY-MM-DD`, or a range `YYYY-MM-DD..YYYY-MM-DD`, or a comma-separated list. */
  readonly partition: string;
}

/** The plan of each partition of a launch, or why it cannot run. */
export interface LaunchPlan {
  readonly request: LaunchRequest;
  readonly partitions: readonly { readonly partitionKey: string; readonly plan: RunPlan | null; readonly error: string | null }[];
}

export interface Launch {
  readonly id: number;
  readonly request: LaunchRequest;
  readonly partitionKeys: readonly string[];
  readonly runIds: string[];
  status: 'waiting' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  error: string | null;
  readonly controller: AbortController;
}

export interface RunLauncherOptions {
  readonly graph: AssetGraph;
  readonly access: WarehouseAccess;
  readonly resources: ResourceValues;
  /** Each asset's code version, recorded with its materializations. */
  readonly codeVersions: ReadonlyMap<string, string>;
  readonly concurrency: number;
  /** The first launch's number (default 1): a worker's go on from the previous worker's, so a page's Cancel never reaches another launch. */
  readonly firstId?: number;
  readonly onRunEvent: (event: RunEvent) => void;
}

/** Launches kept for the runs page, newest last. */
const keptLaunches = 50;

export class RunLauncher {
  readonly #options: RunLauncherOptions;
  readonly #launches: Launch[] = [];
  #nextId: number;

  constructor(options: RunLauncherOptions) {
    this.#options = options;
    this.#nextId = options.firstId ?? 1;
  }

  /** The number the next launch will have. */
  get nextId(): number {
    return this.#nextId;
  }

  /** The launches since the server started, newest first. */
  get launches(): readonly Launch[] {
    return [...this.#launches].reverse();
  }

  /** Checks the request and plans each of its partitions against what the warehouse holds. */
  async plan(request: LaunchRequest): Promise<LaunchPlan> {
    const { graph, access } = this.#options;
    const partitionKeys = this.#check(request);
    const holdings = await access
      .read((connection) => heldPartitions(connection, partitionKeys.flatMap((partitionKey) => warehouseReads(graph, { ...request, partitionKey }))))
      .catch((error: unknown) => {
        if (error instanceof ConfigError && error.code === 'DUCKDAG_WAREHOUSE_MISSING') return new Set<string>();
        throw error;
      });
    return {
      request,
      partitions: partitionKeys.map((partitionKey) => {
        try {
          return { partitionKey, plan: planRun(graph, { ...request, partitionKey }, holdings), error: null };
        } catch (error) {
          if (!(error instanceof DuckdagError)) throw error;
          return { partitionKey, plan: null, error: describeError(error) };
        }
      }),
    };
  }

  /** Starts the request's runs; refused while another run writes the warehouse. */
  launch(request: LaunchRequest): Launch {
    const partitionKeys = this.#check(request);
    const writer = this.#options.access.writer;
    if (writer !== null) {
      throw new WarehouseBusyError(`${writer} is writing the warehouse; launch again when it has finished (the runs page shows when)`);
    }
    const launch: Launch = { id: this.#nextId++, request, partitionKeys, runIds: [], status: 'waiting', error: null, controller: new AbortController() };
    this.#launches.push(launch);
    if (this.#launches.length > keptLaunches) this.#launches.shift();
    void this.#run(launch);
    return launch;
  }

  /** Cancels a launch that has not ended; false when there is none by that id. */
  cancel(id: number): boolean {
    const launch = this.#launches.find((one) => one.id === id);
    if (launch === undefined || !['waiting', 'running'].includes(launch.status)) return false;
    launch.controller.abort();
    return true;
  }

  /** The run in progress of each launch running now. */
  get runningRunIds(): string[] {
    return this.#launches.filter((launch) => launch.status === 'running' && launch.runIds.length > 0).map((launch) => launch.runIds.at(-1)!);
  }

  /** Cancels the launch whose run in progress is `runId` (with the partitions after it); whether there was one. */
  cancelRun(runId: string): boolean {
    const launch = this.#launches.find((one) => one.status === 'running' && one.runIds.at(-1) === runId);
    launch?.controller.abort();
    return launch !== undefined;
  }

  /** Whether a launch is waiting to run or running. */
  get busy(): boolean {
    return this.#unfinished().length > 0;
  }

  /** Cancels every launch in progress; whether there was one. */
  cancelAll(): boolean {
    const running = this.#unfinished();
    for (const launch of running) launch.controller.abort();
    return running.length > 0;
  }

  #unfinished(): Launch[] {
    return this.#launches.filter((launch) => launch.status === 'waiting' || launch.status === 'running');
  }

  async #run(launch: Launch): Promise<void> {
    const { graph, access, resources, codeVersions, concurrency, onRunEvent } = this.#options;
    const label = `a run launched from the web UI (${launch.request.select}, partition ${launch.request.partition})`;
    try {
      const session = await access.openSession(label);
      try {
        launch.status = 'running';
        const result = await backfill(graph, session.store, {
          select: launch.request.select,
          exclude: launch.request.exclude,
          partitionKeys: launch.partitionKeys,
          keepGoing: false,
          force: false,
          concurrency,
          resources,
          codeVersions,
          signal: launch.controller.signal,
          onEvent: (event) => {
            if (event.type === 'run_started') launch.runIds.push(event.runId);
            onRunEvent(event);
          },
        });
        launch.status = result.status === 'succeeded' ? 'succeeded' : result.status === 'cancelled' ? 'cancelled' : 'failed';
        launch.error = result.partitions.find((one) => one.error !== null)?.error ?? null;
      } finally {
        session.close();
      }
    } catch (error) {
      launch.status = launch.controller.signal.aborted ? 'cancelled' : 'failed';
      launch.error = describeError(error);
    }
  }

  /** The request's partition keys, oldest first; throws `ConfigError` for a bad selection or partition. */
  #check(request: LaunchRequest): string[] {
    selectAssets(this.#options.graph, request.select, request.exclude);
    const text = request.partition.trim();
    const keys = isPartitionSet(text) ? parsePartitionSet(text, 'partition') : [parsePartitionKey(text, 'partition')];
    return [...keys].sort();
  }
}
