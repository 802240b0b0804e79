/**
 * Scenario 2: fetching 32 categories × 20 pages from a local API that answers after 100 ms, at the
 * default concurrency. Ideal = requests × latency ÷ concurrency.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMercadoLibreApiOptions } from '../assets/mercadolibre/api-options.ts';
import { fetchResponses } from '../assets/mercadolibre/fetch-responses.ts';
import { startFakeApi } from '../test/support/fake-mercadolibre-api.ts';
import type { BenchContext, BenchRow } from './bench-context.ts';
import { median, ratio } from './stats.ts';

const latencyMs = 100;
const categories = 32;
const pagesPerCategory = 20;

export async function httpExtraction(context: BenchContext): Promise<BenchRow[]> {
  const cleanups: (() => unknown)[] = [];
  const api = await startFakeApi(
    { after: (cleanup: () => unknown) => void cleanups.push(cleanup) },
    { listings: Object.fromEntries(Array.from({ length: categories }, (_, index) => [`MLA${1000 + index}`, pagesPerCategory * 50])), latencyMs },
  );
  try {
    const times: number[] = [];
    let requests = 0;
    for (let run = 0; run < context.runs; run += 1) {
      const dir = join(context.workDir, 'http-responses');
      rmSync(dir, { recursive: true, force: true });
      const summary = await fetchResponses(
        { ...defaultMercadoLibreApiOptions, baseUrl: api.url, site: 'MLA', itemsPerCategory: pagesPerCategory * 50 },
        dir,
      );
      requests = summary.requests;
      times.push(summary.durationMs);
      context.log(`  run ${run + 1}: ${summary.requests} requests in ${summary.durationMs} ms`);
    }
    const ideal = (requests * latencyMs) / defaultMercadoLibreApiOptions.concurrency;
    const medianMs = median(times);
    return [
      {
        scenario: 'HTTP extraction',
        case: `${categories} categories × ${pagesPerCategory} pages, ${latencyMs} ms latency, concurrency ${defaultMercadoLibreApiOptions.concurrency}`,
        medianMs,
        baseline: 'ideal: requests × latency ÷ concurrency',
        baselineMs: ideal,
        ratio: ratio(medianMs, ideal),
        target: '≤ 1.2× ideal',
        met: medianMs <= 1.2 * ideal,
        extra: { requests },
      },
    ];
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}
