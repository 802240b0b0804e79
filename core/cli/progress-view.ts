/**
 * What `materialize` shows while it runs: on a terminal, a live line with the running assets,
 * done/total and elapsed time above the finished assets; when piped, one plain line per event.
 */
import type { RunPlan } from '../runtime/run-plan.ts';
import type { AssetResult, RunEvent, RunResult } from '../runtime/run-result.ts';
import { checksSummary, failedCheckLines } from './check-lines.ts';
import type { CliIo } from './cli-io.ts';
import { formatMs } from './format-ms.ts';

export interface ProgressView {
  readonly onEvent: (event: RunEvent) => void;
  /** Stops the live line; call once the run is over. */
  readonly stop: () => void;
}

const symbols: Record<AssetResult['status'], string> = {
  materialized: '✓',
  skipped: '○',
  failed: '✗',
  check_failed: '✗',
  upstream_failed: '✗',
  cancelled: '⊘',
};

/** One line describing a finished asset, then a line for each check that did not pass. */
export function describeResult(result: AssetResult): string {
  return [describeOutcome(result), ...failedCheckLines(result.checks)].join('\n');
}

function describeOutcome(result: AssetResult): string {
  const head = `${symbols[result.status]} ${result.asset}`;
  switch (result.status) {
    case 'materialized': {
      const size = result.rowCount === null ? 'value' : `${result.rowCount.toLocaleString('en-US')} rows`;
      const retried = result.attempts > 1 ? ` after ${result.attempts} attempts` : '';
      return `${head} materialized: ${size}${result.empty ? ' (empty)' : ''} in ${formatMs(result.durationMs)}${retried}${checksSummary(result.checks)}`;
    }
    case 'check_failed':
      return `${head} held back: ${result.reason}; its new ${result.rowCount === null ? 'data was' : `${result.rowCount.toLocaleString('en-US')} rows were`} not stored${checksSummary(result.checks)}`;
    case 'skipped':
      return `${head} skipped: ${result.reason}`;
    case 'upstream_failed':
      return `${head} not run: ${result.reason}`;
    case 'failed':
      return `${head} failed: ${result.error}`;
    case 'cancelled':
      return `${head} cancelled: ${result.reason ?? result.error}`;
  }
}

/** A plan as `--dry-run` prints it: a line per step, with what it reads and from where. */
export function describePlan(plan: RunPlan): string {
  const lines = [`plan: ${plan.steps.length} assets, partition ${plan.partitionKey}`];
  plan.steps.forEach((step, index) => {
    const partition = step.partitionKey === null ? '' : ` [${step.partitionKey}]`;
    const reads = step.reads.map((read) => {
      const at = read.partitionOffset === 0 ? '' : `@${read.partitionKey}`;
      return `${read.asset}${at}${read.source === 'run' ? '' : read.source === 'warehouse' ? ' (stored)' : ' (missing)'}`;
    });
    lines.push(`${String(index + 1).padStart(3)}. ${step.asset} (${step.kind})${partition}${reads.length === 0 ? '' : ` ← ${reads.join(', ')}`}`);
  });
  return lines.join('\n');
}

/** The closing line of a run. */
export function describeRun(result: RunResult): string {
  const count = (status: AssetResult['status']) => result.assets.filter((asset) => asset.status === status).length;
  const parts = [`${count('materialized')} materialized`, `${count('skipped')} skipped`, `${count('failed')} failed`];
  if (count('check_failed') > 0) parts.push(`${count('check_failed')} held back by checks`);
  if (count('upstream_failed') > 0) parts.push(`${count('upstream_failed')} not run`);
  if (count('cancelled') > 0) parts.push(`${count('cancelled')} cancelled`);
  return `run ${result.runId} ${result.status} (partition ${result.partitionKey}): ${parts.join(', ')} in ${formatMs(result.durationMs)}`;
}

function runStartedLine(runId: string, plan: RunPlan): string {
  return `run ${runId}: ${plan.steps.length} assets, partition ${plan.partitionKey}`;
}


/**
 * The live view on a terminal (its redrawing library loaded only then), plain lines otherwise.
 * `context` leads the live line (a backfill's partitions done and ETA).
 */
export async function createProgressView(io: CliIo, context?: () => string): Promise<ProgressView> {
  if (io.stdout.isTTY !== true) return plainView(io);
  const { createLogUpdate } = await import('log-update');
  return liveView(io, createLogUpdate(io.stdout), context);
}

function plainView(io: CliIo): ProgressView {
  const write = (line: string) => io.stdout.write(`${line}\n`);
  return {
    onEvent: (event) => {
      if (event.type === 'run_started') write(runStartedLine(event.runId, event.plan));
      if (event.type === 'asset_retrying') write(`↻ ${event.asset} attempt ${event.attempt} failed, retrying: ${event.error}`);
      if (event.type === 'asset_log') write(`  ${event.asset}: ${event.message}`);
      if (event.type === 'asset_finished') write(describeResult(event.result));
      if (event.type === 'run_finished') write(describeRun(event.result));
    },
    stop: () => undefined,
  };
}

function liveView(io: CliIo, live: ReturnType<typeof import('log-update').createLogUpdate>, context?: () => string): ProgressView {
  const running = new Set<string>();
  const started = Date.now();
  let done = 0;
  let total = 0;
  const render = () => {
    const elapsed = formatMs(Date.now() - started);
    const names = [...running].join(', ');
    live(`${context?.() ?? ''}${done}/${total} done · ${elapsed}${names === '' ? '' : ` · running: ${names}`}`);
  };
  const print = (line: string) => {
    live.clear();
    io.stdout.write(`${line}\n`);
    render();
  };
  const timer = setInterval(render, 100);
  timer.unref();
  return {
    onEvent: (event) => {
      switch (event.type) {
        case 'run_started':
          total = event.plan.steps.length;
          print(runStartedLine(event.runId, event.plan));
          break;
        case 'asset_started':
          running.add(event.asset);
          render();
          break;
        case 'asset_retrying':
          print(`↻ ${event.asset} attempt ${event.attempt} failed, retrying: ${event.error}`);
          break;
        case 'asset_log':
          print(`  ${event.asset}: ${event.message}`);
          break;
        case 'asset_finished':
          running.delete(event.result.asset);
          done += 1;
          print(describeResult(event.result));
          break;
        case 'run_finished':
          clearInterval(timer);
          live.clear();
          io.stdout.write(`${describeRun(event.result)}\n`);
          break;
      }
    },
    stop: () => {
      clearInterval(timer);
      live.done();
    },
  };
}
