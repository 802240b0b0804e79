/**
 * Scenario 5: drawing the graph. Generated layered projects (about 1.5 dependencies per asset, the
 * first half materialized so it has history): `graph --format html` as a whole process against
 * `list` on the same project, `list` itself against the CLI's start (`--help`), and the
 * 1,000-asset page in headless Chromium: interactive (drawn, and a search answered) against the
 * same drawing opened as a plain SVG file, and a click's panel.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/support/chromium.ts';
import { duckdagBin, repoRoot, type BenchContext, type BenchRow } from './bench-context.ts';
import { limitRow } from './limit-row.ts';
import { timeProcess } from './time-process.ts';

/** A layered DAG config of `count` assets; groups `early` (materialized) and `late`. */
function layeredProject(dir: string, count: number): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    join(dir, 'duckdag.config.ts'),
    `import { defineConfig, sql, sqlAsset } from ${JSON.stringify(join(repoRoot, 'core/index.ts'))};
const count = ${count};
const width = Math.round(Math.sqrt(count) * 0.8);
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const assets = [];
for (let i = 0; i < count; i += 1) {
  const layer = Math.floor(i / width);
  const previous = (layer - 1) * width;
  const picks = layer === 0 ? [] : random() < 0.5 ? [0] : [0, 1];
  const deps = Object.fromEntries([...new Set(picks.map(() => previous + Math.floor(random() * width)))].map((d) => ['up_' + d, assets[d]]));
  assets.push(sqlAsset({ name: 'asset_' + i, group: i < count / 2 ? 'early' : 'late', description: 'generated asset ' + i, deps, query: () => sql\`SELECT \${i} AS n\` }));
}
export default defineConfig({ assets });
`,
  );
  return join(dir, 'duckdag.config.ts');
}

export async function graphPage(context: BenchContext, sizes: readonly number[] = [1000, 5000]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const count of sizes) {
    const dir = join(context.workDir, `graph-${count}`);
    const config = layeredProject(dir, count);
    const cli = (args: string[]) => timeProcess(process.execPath, [duckdagBin, '--config', config, ...args], { cwd: dir });
    await cli(['materialize', '--select', 'group:early', '--partition', '2026-11-24']);
    const draw: number[] = [];
    const list: number[] = [];
    const help: number[] = [];
    for (let run = 0; run < context.runs + 1; run += 1) {
      const drawn = (await cli(['graph', '--format', 'html', '--out', join(dir, 'graph.html')])).wallMs;
      const listed = (await cli(['list'])).wallMs;
      const helped = (await cli(['--help'])).wallMs;
      if (run === 0) continue;
      draw.push(drawn);
      list.push(listed);
      help.push(helped);
      context.log(`  ${count} assets, run ${run}: graph --format html ${Math.round(drawn)} ms, list ${Math.round(listed)} ms, --help ${Math.round(helped)} ms`);
    }
    const limitMs = count <= 1000 ? 3000 : 15_000;
    rows.push(
      limitRow({
        scenario: 'graph',
        case: `${count.toLocaleString('en-US')} assets, graph --format html (whole process)`,
        times: draw,
        baseline: 'duckdag list on the same project',
        baselineTimes: list,
        limitMs,
      }),
      limitRow({
        scenario: 'graph',
        case: `${count.toLocaleString('en-US')} assets, list (whole process)`,
        times: list,
        baseline: 'duckdag --help (CLI start)',
        baselineTimes: help,
        limitMs: count <= 1000 ? 2000 : 5000,
      }),
    );
    if (count === 1000) {
      await cli(['graph', '--format', 'svg', '--out', join(dir, 'graph.svg')]);
      rows.push(...(await pageTimes(context, dir)));
    }
  }
  return rows;
}

async function pageTimes(context: BenchContext, dir: string): Promise<BenchRow[]> {
  const browser = await launchChromium();
  const interactive: number[] = [];
  const plain: number[] = [];
  const clicks: number[] = [];
  try {
    for (let run = 0; run < context.runs + 1; run += 1) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      let started = performance.now();
      await page.goto(pathToFileURL(join(dir, 'graph.html')).href);
      await page.locator('html[data-ready="true"]').waitFor();
      await page.locator('#search').fill('asset_777');
      await page.locator('#search').press('Enter');
      await page.locator('#panel h2', { hasText: 'asset_777' }).waitFor();
      const ready = performance.now() - started;
      const clickMs = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const dom = globalThis as unknown as { document: { querySelector(s: string): { dispatchEvent(e: unknown): void } }; MouseEvent: new (t: string, o: object) => unknown; requestAnimationFrame(f: () => void): void };
            const clickStart = performance.now();
            dom.document.querySelector('g.node[data-asset="asset_500"]').dispatchEvent(new dom.MouseEvent('click', { bubbles: true }));
            dom.requestAnimationFrame(() => resolve(performance.now() - clickStart));
          }),
      );
      await page.close();
      const svgPage = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      started = performance.now();
      await svgPage.goto(pathToFileURL(join(dir, 'graph.svg')).href);
      await svgPage.locator('g.node[data-asset="asset_999"]').waitFor();
      const plainMs = performance.now() - started;
      await svgPage.close();
      if (run === 0) continue;
      interactive.push(ready);
      plain.push(plainMs);
      clicks.push(clickMs);
      context.log(`  page run ${run}: interactive ${Math.round(ready)} ms, plain SVG ${Math.round(plainMs)} ms, click → panel ${clickMs.toFixed(1)} ms`);
    }
  } finally {
    await browser.close();
  }
  return [
    limitRow({
      scenario: 'graph',
      case: '1,000-asset page in Chromium: drawn and a search answered',
      times: interactive,
      baseline: 'the same drawing opened as a plain SVG file',
      baselineTimes: plain,
      limitMs: 2000,
    }),
    limitRow({
      scenario: 'graph',
      case: '1,000-asset page: click an asset → its panel drawn',
      times: clicks,
      baseline: 'the interactive page above',
      baselineTimes: interactive,
      limitMs: 100,
    }),
  ];
}
