/**
 * Scenario 6: the web UI of `duckdag serve`. How soon a finished asset recolours its node on an open
 * graph page (from the asset's last line of code, as `serve --json` logs it, to the page's node
 * changing, against a plain request from the same page); the 1,000-asset graph page served live,
 * interactive, against the same page opened as a file. The idle `serve` process is measured in the
 * serve scenario (`serve-idle.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium.ts';
import { duckdagBin, repoRoot, type BenchContext, type BenchRow } from './bench-context.ts';
import { limitRow } from './limit-row.ts';

const chain = 8;

/** A chain of `chain` table assets, each logging `finished NAME` as its last line; a schedule far away. */
function chainProject(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    join(dir, 'duckdag.config.ts'),
    `import { dailyPartitions, defineConfig, sql, tableAsset } from ${JSON.stringify(join(repoRoot, 'core/index.ts'))};
const assets = [];
for (let i = 0; i < ${chain}; i += 1) {
  const deps = i === 0 ? {} : { up: assets[i - 1] };
  assets.push(tableAsset({
    name: 'step_' + i,
    deps,
    partitions: dailyPartitions('day'),
    materialize: async (_, ctx) => {
      await ctx.output.createAs(sql\`SELECT CAST(\${ctx.partitionKey} AS DATE) AS day, range AS n FROM range(1000)\`);
      await new Promise((resolve) => setTimeout(resolve, 150));
      ctx.log('finished step_' + i);
    },
  }));
}
export default defineConfig({ assets, schedules: [{ name: 'yearly', cron: '0 0 1 1 *', timezone: 'UTC', select: 'step_0', partition: 'tick_day' }] });
`,
  );
  return join(dir, 'duckdag.config.ts');
}

interface Served {
  readonly child: ChildProcess;
  readonly url: string | null;
  lines(): string[];
  stop(): Promise<void>;
}

/** Serves the project; with `scheduled`, ready only once the schedule's first evaluation (which writes the warehouse) is done. */
async function serve(config: string, dir: string, args: readonly string[], scheduled = false): Promise<Served> {
  const child = spawn(process.execPath, [duckdagBin, '--config', config, 'serve', '--json', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const lines = () => output.split('\n').filter((line) => line.startsWith('{'));
  const ready = ['"event":"web_ui"', ...(scheduled ? ['"event":"waiting"'] : [])];
  while (!ready.every((event) => lines().some((line) => line.includes(event)))) {
    if (child.exitCode !== null) throw new Error(`serve ended: ${output}`);
    await sleep(50);
  }
  const url = lines().map((line) => JSON.parse(line) as { event: string; url?: string }).find((event) => event.event === 'web_ui')?.url ?? null;
  return {
    child,
    url,
    lines,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('close', resolve));
    },
  };
}

/** Launches the chain for `partition` from the page and returns, per asset, the ms from its last line of code to its node turning green. */
async function statusLatencies(page: Page, served: Served, run: number): Promise<number[]> {
  const day = `2026-10-${String(run + 1).padStart(2, '0')}`;
  await page.goto(`${served.url}graph?partition=${day}`);
  await page.locator('html[data-live="open"]').waitFor();
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    Object.assign(globalThis, { greenAt: seen });
    new MutationObserver((records) => {
      for (const record of records) {
        const node = record.target as unknown as { getAttribute(name: string): string | null };
        if (node.getAttribute('data-status') === 'materialized') seen[node.getAttribute('data-asset') ?? ''] = Date.now();
      }
    }).observe((globalThis as unknown as { document: { querySelector(s: string): object } }).document.querySelector('svg.duckdag-graph') as never, {
      attributes: true,
      attributeFilter: ['data-status'],
      subtree: true,
    });
  });
  const response = await page.evaluate(
    async ({ url, day }) => {
      const body = new URLSearchParams({ select: '*', partition: day });
      return (await fetch(`${url}launch`, { method: 'POST', body })).status;
    },
    { url: served.url!, day },
  );
  if (response !== 200) throw new Error(`launch answered ${response}`);
  await page.waitForFunction((count) => Object.keys((globalThis as unknown as { greenAt: object }).greenAt).length === count, chain, { timeout: 60_000 });
  const greenAt = (await page.evaluate(() => (globalThis as unknown as { greenAt: Record<string, number> }).greenAt)) as Record<string, number>;
  const finishedAt = new Map(
    served
      .lines()
      .map((line) => JSON.parse(line) as { event: string; message?: string; time: string })
      .filter((event) => event.event === 'asset_log' && event.message?.startsWith('finished '))
      .map((event) => [event.message!.slice('finished '.length), Date.parse(event.time)]),
  );
  return Object.entries(greenAt).map(([asset, at]) => at - finishedAt.get(asset)!);
}

export async function webUi(context: BenchContext): Promise<BenchRow[]> {
  const dir = join(context.workDir, 'web-ui');
  const config = chainProject(dir);
  const browser = await launchChromium();
  const rows: BenchRow[] = [];
  try {
    const served = await serve(config, dir, ['--port', '0'], true);
    try {
      const page = await browser.newPage();
      const latencies: number[] = [];
      const requests: number[] = [];
      for (let run = 0; run < context.runs; run += 1) {
        const measured = await statusLatencies(page, served, run);
        latencies.push(...measured);
        requests.push(
          await page.evaluate(async (url) => {
            const started = performance.now();
            await (await fetch(`${url}static/web-ui.css`, { cache: 'no-store' })).text();
            return performance.now() - started;
          }, served.url!),
        );
        context.log(`  run ${run + 1}: status updates ${measured.map((ms) => `${ms} ms`).join(', ')}`);
      }
      rows.push(
        limitRow({
          scenario: 'web-ui',
          case: 'asset finished → its node recoloured on an open graph page',
          times: latencies,
          baseline: 'one request from the page to the server',
          baselineTimes: requests,
          limitMs: 200,
          extra: { updates: latencies.length, maxMs: Math.max(...latencies) },
        }),
      );
    } finally {
      await served.stop();
    }
    rows.push(await servedGraph(context, browser));
  } finally {
    await browser.close();
  }
  return rows;
}

/** The 1,000-asset project of the graph scenario (its page written there), served live. */
async function servedGraph(context: BenchContext, browser: Awaited<ReturnType<typeof launchChromium>>): Promise<BenchRow> {
  const dir = join(context.workDir, 'graph-1000');
  const config = join(dir, 'duckdag.config.ts');
  const served = await serve(config, dir, ['--port', '0']).catch((error: unknown) => {
    throw new Error(`run the graph scenario first (npm run bench -- --only graph,web-ui): ${String(error)}`);
  });
  const live: number[] = [];
  const file: number[] = [];
  try {
    for (let run = 0; run < context.runs + 1; run += 1) {
      const time = async (url: string, ready: string) => {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const started = performance.now();
        await page.goto(url);
        await page.locator(ready).waitFor();
        await page.locator('#search').fill('asset_777');
        await page.locator('#search').press('Enter');
        await page.locator('#panel h2', { hasText: 'asset_777' }).waitFor();
        const ms = performance.now() - started;
        await page.close();
        return ms;
      };
      const liveMs = await time(`${served.url}graph`, 'html[data-live="open"][data-ready="true"]');
      const fileMs = await time(pathToFileURL(join(dir, 'graph.html')).href, 'html[data-ready="true"]');
      if (run === 0) continue;
      live.push(liveMs);
      file.push(fileMs);
      context.log(`  1,000 assets, run ${run}: served live ${Math.round(liveMs)} ms, as a file ${Math.round(fileMs)} ms`);
    }
  } finally {
    await served.stop();
  }
  return limitRow({
    scenario: 'web-ui',
    case: '1,000-asset graph served live: drawn, connected and a search answered',
    times: live,
    baseline: 'the graph page opened as a file',
    baselineTimes: file,
    limitMs: 2000,
  });
}
