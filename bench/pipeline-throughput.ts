/**
 * Scenario 1: the whole MercadoLibre pipeline (`duckdag materialize`, email to the outbox) on
 * synthetic samples of 10k, 100k and 1M listings (at most 1,000 per category, as the API serves
 * them), against two baselines run interleaved with it: the floor (the job written by hand in plain
 * DuckDB SQL, `pipeline-floor.ts`) and the pipeline's own queries run by hand (`pipeline-baseline.ts`).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateSample } from '../data/sample-generator.ts';
import { duckdagBin, repoRoot, type BenchContext, type BenchRow } from './bench-context.ts';
import { compiledScript } from './compiled-script.ts';
import { median, ratio } from './stats.ts';
import { timeProcess } from './time-process.ts';

const partition = '2026-11-24';

export async function pipelineThroughput(context: BenchContext, sizes: readonly number[]): Promise<BenchRow[]> {
  const baselineScript = await compiledScript(join(repoRoot, 'bench/pipeline-baseline.ts'), context.workDir);
  const floorScript = await compiledScript(join(repoRoot, 'bench/pipeline-floor.ts'), context.workDir);
  const rows: BenchRow[] = [];
  for (const listings of sizes) {
    const sampleDir = join(context.workDir, `sample-${listings}-per-category-1000`);
    if (!existsSync(join(sampleDir, 'categories.json'))) {
      context.log(`generating ${listings} listings…`);
      generateSample({ dir: sampleDir, listings, seed: 1 });
    }
    const warehouse = join(context.workDir, `pipeline-${listings}.duckdb`);
    const outbox = join(context.workDir, 'outbox');
    const fresh = () => {
      for (const file of [warehouse, `${warehouse}.wal`]) rmSync(file, { force: true });
    };
    const duckdag: number[] = [];
    const baseline: number[] = [];
    const floor: number[] = [];
    const rss: number[] = [];
    const baselineRss: number[] = [];
    const floorRss: number[] = [];
    let split: Record<string, number> = {};
    for (let run = 0; run < context.runs; run += 1) {
      fresh();
      const bare = await timeProcess(process.execPath, [floorScript, sampleDir, warehouse]);
      floor.push(bare.wallMs);
      floorRss.push(bare.maxRssMb);
      fresh();
      const base = await timeProcess(process.execPath, [baselineScript, sampleDir, warehouse, outbox, partition]);
      baseline.push(base.wallMs);
      baselineRss.push(base.maxRssMb);
      fresh();
      const measured = await timeProcess(process.execPath, [duckdagBin, 'materialize', '--json', '--partition', partition, '--warehouse', warehouse], {
        cwd: repoRoot,
        env: { MERCADOLIBRE_SOURCE: 'sample', MERCADOLIBRE_SAMPLE_DIR: sampleDir, ALERT_OUTBOX_DIR: outbox, SMTP_URL: '' },
      });
      duckdag.push(measured.wallMs);
      rss.push(measured.maxRssMb);
      split = Object.fromEntries(
        (JSON.parse(measured.stdout) as { assets: { asset: string; durationMs: number }[] }).assets.map((asset) => [asset.asset, asset.durationMs]),
      );
      context.log(
        `  ${listings} listings, run ${run + 1}: duckdag ${Math.round(measured.wallMs)} ms (${measured.maxRssMb} MB), ` +
          `floor ${Math.round(bare.wallMs)} ms (${bare.maxRssMb} MB), same queries by hand ${Math.round(base.wallMs)} ms (${base.maxRssMb} MB)`,
      );
    }
    fresh();
    const medianMs = median(duckdag);
    const peakRssMb = Math.max(...rss);
    const check = listings >= 1_000_000;
    const size = `${listings.toLocaleString('en-US')} listings`;
    rows.push(
      {
        scenario: 'pipeline throughput',
        case: size,
        medianMs,
        baseline: 'the floor: typed read_json → raw → DISTINCT ON clean → high volume, by hand',
        baselineMs: median(floor),
        ratio: ratio(medianMs, median(floor)),
        target: check ? '≤ 1.2× floor, peak RSS ≤ 1 GB' : '—',
        met: !check || (medianMs <= 1.2 * median(floor) && peakRssMb <= 1024),
        extra: {
          listingsPerSecond: Math.round(listings / (medianMs / 1000)),
          peakRssMb,
          floorPeakRssMb: Math.max(...floorRss),
          assetMs: split,
        },
      },
      {
        scenario: 'pipeline throughput',
        case: `${size} (the same)`,
        medianMs,
        baseline: "the pipeline's own queries by hand on @duckdb/node-api",
        baselineMs: median(baseline),
        ratio: ratio(medianMs, median(baseline)),
        target: '—',
        met: true,
        extra: { baselinePeakRssMb: Math.max(...baselineRss) },
      },
    );
  }
  return rows;
}
