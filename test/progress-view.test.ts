import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { CliIo } from '../core/cli/cli-io.ts';
import { createProgressView, describeResult } from '../core/cli/progress-view.ts';
import type { RunPlan } from '../core/runtime/run-plan.ts';
import type { AssetResult, RunResult } from '../core/runtime/run-result.ts';

function capture(isTTY: boolean): { io: CliIo; output: () => string } {
  const stdout = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { io: { stdout, stderr: new PassThrough(), env: {} }, output: () => text };
}

const step = { kind: 'table', compute: 'sql', partitionKey: '2026-11-24', reads: [], resourceKeys: [] } as const;
const plan: RunPlan = {
  selection: '*',
  exclude: null,
  partitionKey: '2026-11-24',
  steps: [{ ...step, asset: 'raw_listings' }, { ...step, asset: 'email_body', kind: 'value' }],
};

const done: AssetResult = {
  asset: 'raw_listings',
  status: 'materialized',
  partitionKey: '2026-11-24',
  rowCount: 1550,
  empty: false,
  startedAt: '2026-11-24T12:00:00.000Z',
  durationMs: 420,
  attempts: 1,
  error: null,
  reason: null,
  metadata: {},
  checks: [],
};
const skipped: AssetResult = { ...done, asset: 'email_body', status: 'skipped', rowCount: null, reason: 'upstream high_volume_sales is empty' };
const run: RunResult = {
  runId: 'r1',
  status: 'succeeded',
  partitionKey: '2026-11-24',
  selection: '*',
  startedAt: done.startedAt,
  finishedAt: done.startedAt,
  durationMs: 1500,
  assets: [done, skipped],
};

test('piped, the progress view prints one plain line per finished asset and a closing line', async () => {
  const { io, output } = capture(false);
  const view = await createProgressView(io);
  view.onEvent({ type: 'run_started', runId: 'r1', plan });
  view.onEvent({ type: 'asset_started', asset: 'raw_listings' });
  view.onEvent({ type: 'asset_finished', result: done });
  view.onEvent({ type: 'asset_finished', result: skipped });
  view.onEvent({ type: 'run_finished', result: run });
  view.stop();
  assert.equal(
    output(),
    [
      'run r1: 2 assets, partition 2026-11-24',
      '✓ raw_listings materialized: 1,550 rows in 420 ms',
      '○ email_body skipped: upstream high_volume_sales is empty',
      'run r1 succeeded (partition 2026-11-24): 1 materialized, 1 skipped, 0 failed in 1.5 s',
      '',
    ].join('\n'),
  );
});

test('on a terminal, the progress view shows the running assets and done/total live', async () => {
  const { io, output } = capture(true);
  const view = await createProgressView(io);
  view.onEvent({ type: 'run_started', runId: 'r1', plan });
  view.onEvent({ type: 'asset_started', asset: 'raw_listings' });
  assert.match(output(), /0\/2 done · \d+ ms · running: raw_listings/);
  view.onEvent({ type: 'asset_finished', result: done });
  assert.match(output(), /1\/2 done/);
  view.onEvent({ type: 'run_finished', result: run });
  view.stop();
  assert.match(output(), /run r1 succeeded/);
});

test('a failed asset is described with its error, an unrun one with the failed upstream', () => {
  assert.equal(describeResult({ ...done, status: 'failed', error: 'asset raw_listings: boom' }), '✗ raw_listings failed: asset raw_listings: boom');
  assert.equal(describeResult({ ...done, status: 'upstream_failed', reason: 'upstream x failed' }), '✗ raw_listings not run: upstream x failed');
});

test('a check that did not pass prints under its asset with a sample row, its control characters escaped', () => {
  const warned: AssetResult = {
    ...done,
    checks: [
      {
        check: 'accepted_values_currency_id',
        asset: 'raw_listings',
        partitionKey: '2026-11-24',
        severity: 'warn',
        description: 'currency_id in (ARS, USD)',
        passed: false,
        failingCount: 1,
        checkedRows: 1550,
        allowedFailing: 0,
        sample: [{ id: 'MLA1', title: 'evil\u009b2J\u202etitle' }],
        durationMs: 3,
      },
    ],
  };
  assert.equal(
    describeResult(warned),
    [
      '✓ raw_listings materialized: 1,550 rows in 420 ms · 0 of 1 check passed',
      '  ! check accepted_values_currency_id (warn): 1 failing of 1,550 rows (0 allowed) · currency_id in (ARS, USD)',
      '      e.g. {"id":"MLA1","title":"evil\\u009b2J\\u202etitle"}',
    ].join('\n'),
  );
});
