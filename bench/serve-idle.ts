/**
 * Scenario 7: `duckdag serve` between ticks and on time. How late a due tick is evaluated, at the
 * point where its run starts (a per-second schedule, many ticks), against a plain Node timer armed
 * for the same kind of moment; and
 * the idle process, after its first tick (and, with the UI, after its pages were served and the
 * worker that served them has exited): its RSS, summed over serve and any worker alive, against an
 * idle bare Node, and the CPU it uses while it waits; with the UI also right after start, while the
 * first worker is alive, and how long the first page after a quiet spell takes (a worker starts for
 * it) against the same page asked again at once. The UI's worker is let go after 3 s without a
 * request instead of a minute (`DUCKDAG_SERVE_WORKER_IDLE_MS`), which changes nothing of what is left
 * once it has gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childPids } from '../test/support/process-tree.ts';
import { scheduledProjectConfig } from '../test/support/scheduled-project.ts';
import { duckdagBin, type BenchContext, type BenchRow } from './bench-context.ts';
import { limitRow } from './limit-row.ts';
import { median, ratio } from './stats.ts';

/** How long a process is watched once idle. */
const idleWindowMs = 5000;

function project(dir: string, cron: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(join(dir, 'duckdag.config.ts'), scheduledProjectConfig({ name: 'bench', cron, select: '*', partition: 'tick_day' }));
  return join(dir, 'duckdag.config.ts');
}

interface Served {
  readonly child: ChildProcess;
  events(): { event: string; time: string; [field: string]: unknown }[];
  stop(): Promise<void>;
}

function startServe(dir: string, args: readonly string[]): Served {
  const child = spawn(process.execPath, [duckdagBin, '--config', join(dir, 'duckdag.config.ts'), 'serve', '--json', ...args], {
    cwd: dir,
    env: { ...process.env, SENT_LOG: join(dir, 'sent.log'), DUCKDAG_SERVE_WORKER_IDLE_MS: '3000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    events: () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { event: string; time: string }),
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('close', resolve));
    },
  };
}

async function until(served: Served, done: () => boolean): Promise<void> {
  while (!done()) {
    if (served.child.exitCode !== null) throw new Error(`serve ended: ${JSON.stringify(served.events())}`);
    await sleep(50);
  }
}

/** The process and its children (serve's workers). */
function processTree(pid: number): number[] {
  return [pid, ...childPids(pid)];
}

/** Resident memory (VmRSS) in MiB and CPU time used so far in ms, from /proc, summed over the process and its children. */
function usage(pid: number): { rssMiB: number; cpuMs: number } {
  let rssMiB = 0;
  let cpuMs = 0;
  for (const one of processTree(pid)) {
    const status = readFileSync(`/proc/${one}/status`, 'utf8');
    rssMiB += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    // Fields 14 and 15 of /proc/PID/stat (after the command's closing parenthesis): user and system time in clock ticks of 10 ms.
    const stat = readFileSync(`/proc/${one}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuMs += (Number(fields[11]) + Number(fields[12])) * 10;
  }
  return { rssMiB, cpuMs };
}

/** RSS at the end of an idle window and the CPU used during it. */
async function idle(pid: number): Promise<{ rssMiB: number; cpuMs: number }> {
  const before = usage(pid);
  await sleep(idleWindowMs);
  const after = usage(pid);
  return { rssMiB: after.rssMiB, cpuMs: after.cpuMs - before.cpuMs };
}

/**
 * From each due tick's time to its outcome, over `count` ticks of a per-second schedule: the first
 * (a catch-up at start) runs the day's partition, the later ones find it taken and are recorded
 * skipped at the point where a run would start (left out: the first, which waited for serve to start).
 */
async function tickLateness(context: BenchContext, count: number): Promise<number[]> {
  const dir = join(context.workDir, 'serve-ticks');
  project(dir, '* * * * * *');
  const served = startServe(dir, ['--no-ui']);
  const ticks = () => served.events().filter((event) => event.event === 'tick');
  try {
    await until(served, () => ticks().length > count);
  } finally {
    await served.stop();
  }
  return ticks()
    .slice(1, count + 1)
    .map((event) => Date.parse(event.time) - Date.parse(String(event.tickAt)));
}

/** How late a timer armed for the next whole second fires in a plain Node process. */
async function timerLateness(count: number): Promise<number[]> {
  const late: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const at = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await sleep(at - Date.now());
    late.push(Date.now() - at);
  }
  return late;
}

/** An idle bare Node process's RSS and CPU. */
async function bareNode(): Promise<{ rssMiB: number; cpuMs: number }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  try {
    await sleep(1000);
    return await idle(child.pid!);
  } finally {
    child.kill();
  }
}

interface IdleServe {
  readonly rssMiB: number;
  readonly cpuMs: number;
  /** With the UI: serve and its first worker as the first tick has been evaluated. */
  readonly startRssMiB: number;
  /** With the UI, once idle: the runs page asked for with no worker alive (one starts for it), then again at once. */
  readonly coldPageMs: number;
  readonly warmPageMs: number;
}

/** How long `url` takes to answer in full. */
async function timeRequest(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  await response.text();
  return performance.now() - started;
}

/** serve after its first tick (a daily schedule, so it then waits), with the UI after its pages were read once and their worker has gone. */
async function idleServe(context: BenchContext, ui: boolean, run: number): Promise<IdleServe> {
  const dir = join(context.workDir, `serve-idle-${ui ? 'ui' : 'no-ui'}`);
  if (run === 0) project(dir, '0 12 * * *');
  // A new warehouse each time, so that the newest past tick runs again.
  rmSync(join(dir, 'data'), { recursive: true, force: true });
  const served = startServe(dir, ui ? ['--port', '0'] : ['--no-ui']);
  const pid = served.child.pid!;
  try {
    await until(served, () => served.events().some((event) => event.event === 'waiting'));
    const startRssMiB = usage(pid).rssMiB;
    if (ui) {
      await until(served, () => served.events().some((event) => event.event === 'web_ui'));
      const url = String(served.events().find((event) => event.event === 'web_ui')?.url);
      const runId = String((served.events().find((event) => event.event === 'run_finished')?.tick as { runId?: string } | undefined)?.runId);
      for (const path of ['graph', 'runs', `runs/${runId}`, 'assets/sales', 'launch']) {
        const response = await fetch(`${url}${path}`);
        if (!response.ok) throw new Error(`${path} answered ${response.status}`);
        await response.text();
      }
    }
    await until(served, () => processTree(pid).length === 1);
    await sleep(1000);
    const idled = await idle(pid);
    const url = String(served.events().find((event) => event.event === 'web_ui')?.url);
    const coldPageMs = ui ? await timeRequest(`${url}runs`) : 0;
    const warmPageMs = ui ? await timeRequest(`${url}runs`) : 0;
    return { ...idled, startRssMiB, coldPageMs, warmPageMs };
  } finally {
    await served.stop();
  }
}

export async function serveIdle(context: BenchContext): Promise<BenchRow[]> {
  const ticks = Math.max(10, context.runs * 2);
  const late = await tickLateness(context, ticks);
  const timers = await timerLateness(ticks);
  context.log(`  tick → evaluated: ${late.map((ms) => `${ms} ms`).join(', ')}`);
  const rows: BenchRow[] = [
    limitRow({
      scenario: 'serve',
      case: `a due tick of a per-second schedule → evaluated, where its run starts (${ticks} ticks)`,
      times: late,
      baseline: 'a Node timer armed for a whole second',
      baselineTimes: timers,
      limitMs: 1000,
      extra: { ticks: late.length, maxMs: Math.max(...late) },
    }),
  ];
  const bare = [];
  for (let run = 0; run < context.runs; run += 1) bare.push(await bareNode());
  const bareRss = median(bare.map((one) => one.rssMiB));
  for (const ui of [false, true]) {
    const samples = [];
    for (let run = 0; run < context.runs; run += 1) samples.push(await idleServe(context, ui, run));
    const rss = median(samples.map((one) => one.rssMiB));
    const cpu = median(samples.map((one) => one.cpuMs));
    const label = ui ? 'serve with the UI, after a tick and its pages, once their worker has gone' : 'serve --no-ui, after a tick';
    context.log(`  ${label}: RSS ${samples.map((one) => one.rssMiB.toFixed(1)).join(', ')} MiB; CPU ${samples.map((one) => one.cpuMs).join(', ')} ms per ${idleWindowMs / 1000} s`);
    rows.push(
      {
        scenario: 'serve',
        case: `${label}, idle: RSS with its workers (MiB, shown as ms)`,
        medianMs: rss,
        baseline: 'bare Node, idle',
        baselineMs: bareRss,
        ratio: ratio(rss, bareRss),
        target: '< 100 MiB',
        met: rss < 100,
      },
      {
        scenario: 'serve',
        case: `${label}, idle: CPU time per ${idleWindowMs / 1000} s`,
        medianMs: cpu,
        baseline: 'bare Node, idle',
        baselineMs: median(bare.map((one) => one.cpuMs)),
        ratio: ratio(cpu, Math.max(10, median(bare.map((one) => one.cpuMs)))),
        target: '≈ 0 (< 50 ms)',
        met: cpu < 50,
      },
    );
    if (ui) {
      const start = median(samples.map((one) => one.startRssMiB));
      context.log(`  serve with the UI, right after start: RSS ${samples.map((one) => one.startRssMiB.toFixed(1)).join(', ')} MiB`);
      rows.push({
        scenario: 'serve',
        case: 'serve with the UI, right after start (its first worker alive, the first tick run): RSS with its workers (MiB, shown as ms)',
        medianMs: start,
        baseline: 'bare Node, idle',
        baselineMs: bareRss,
        ratio: ratio(start, bareRss),
        target: 'none (not idle: the worker stays a minute)',
        met: true,
      });
      const cold = samples.map((one) => one.coldPageMs);
      const warm = samples.map((one) => one.warmPageMs);
      context.log(`  runs page after a quiet spell: ${cold.map((ms) => `${Math.round(ms)} ms`).join(', ')}; again at once: ${warm.map((ms) => `${Math.round(ms)} ms`).join(', ')}`);
      rows.push({
        scenario: 'serve',
        case: 'serve with the UI: the runs page after a quiet spell (a worker starts for it)',
        medianMs: median(cold),
        baseline: 'the same page asked again at once (the worker running)',
        baselineMs: median(warm),
        ratio: ratio(median(cold), median(warm)),
        target: 'none (the cost of the idle figure)',
        met: true,
      });
    }
  }
  return rows;
}
