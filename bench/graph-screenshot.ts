/**
 * `npm run screenshot:graph`: the README's picture of the MercadoLibre graph, from real output:
 * the pipeline materialized on the bundled sample into a fresh warehouse, `duckdag graph --format
 * html` written, and the page photographed in headless Chromium (the npm-shipped build).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/support/chromium.ts';
import { duckdagBin, repoRoot } from './bench-context.ts';

const partition = '2026-11-24';
const dir = mkdtempSync(join(tmpdir(), 'duckdag-screenshot-'));
try {
  const env = { ...process.env, DUCKDAG_WAREHOUSE: join(dir, 'warehouse.duckdb'), ALERT_OUTBOX_DIR: join(dir, 'outbox') };
  execFileSync(process.execPath, [duckdagBin, 'materialize', '--partition', partition], { cwd: repoRoot, env, stdio: 'inherit' });
  const page = join(dir, 'graph.html');
  execFileSync(process.execPath, [duckdagBin, 'graph', '--format', 'html', '--out', page], { cwd: repoRoot, env, stdio: 'inherit' });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage({ viewport: { width: 1500, height: 560 }, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href);
    await tab.locator('html[data-ready="true"]').waitFor();
    await tab.locator('g.node[data-asset="high_volume_sales"]').click();
    await tab.locator('#fit').click();
    const out = join(repoRoot, 'docs/graph.png');
    await tab.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
