import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ConfigError } from '../core/kernel/errors.ts';
import { duckdagBin, repoRoot } from './support/fixture-project.ts';
import { testSettings } from './support/pipeline-settings.ts';

const invalid = (variable: string) => (error: unknown) =>
  error instanceof ConfigError && error.code === 'DUCKDAG_SETTING_INVALID' && error.message.startsWith(`${variable} must be`);

const cases: [variable: string, value: string][] = [
  ['HIGH_VOLUME_THRESHOLD_ARS', 'seven million'],
  ['HIGH_VOLUME_THRESHOLD_ARS', '-1'],
  ['MERCADOLIBRE_ITEMS_PER_CATEGORY', '1001'],
  ['MERCADOLIBRE_ITEMS_PER_CATEGORY', '0'],
  ['MERCADOLIBRE_ITEMS_PER_CATEGORY', '12.5'],
  ['MERCADOLIBRE_API_URL', 'not a url'],
  ['MERCADOLIBRE_API_URL', 'ftp://api.example.com'],
  ['MERCADOLIBRE_SOURCE', 'scrape'],
  ['MERCADOLIBRE_SITE', 'argentina'],
  ['USD_ARS_RATE', '0'],
  ['USD_ARS_RATE', '1.000,50'],
  ['ALERT_EMAIL_TO', 'ventas@example.com, nobody'],
  ['SMTP_ALLOW_PLAINTEXT_PASSWORD', 'yes'],
  ['MAX_REJECTED_SHARE', '5%'],
  ['MAX_REJECTED_SHARE', '1.5'],
  ['MAX_REJECTED_SHARE', '-0.1'],
];

for (const [variable, value] of cases) {
  test(`${variable}=${JSON.stringify(value)} is rejected naming the variable`, () => {
    assert.throws(() => testSettings('/tmp', { [variable]: value }), invalid(variable));
  });
}

test('environment variables override the defaults', () => {
  const settings = testSettings('/project', {
    HIGH_VOLUME_THRESHOLD_ARS: '5000000',
    USD_ARS_RATE: '1180.5',
    ALERT_EMAIL_TO: 'a@example.com, b@example.com',
    MERCADOLIBRE_SAMPLE_DIR: 'other/sample',
    MERCADOLIBRE_API_URL: 'http://127.0.0.1:9999/proxy/',
    MAX_REJECTED_SHARE: '0.2',
  });
  assert.equal(settings.thresholdArs, 5_000_000);
  assert.equal(settings.maxRejectedShare, 0.2);
  assert.equal(settings.usdArsRate, 1180.5);
  assert.deepEqual(settings.emailTo, ['a@example.com', 'b@example.com']);
  assert.equal(settings.sampleDir, '/project/other/sample');
  assert.equal(settings.apiUrl, 'http://127.0.0.1:9999/proxy');
});

test('without overrides the defaults apply: threshold 7,000,000, no rate, the sample source, 5% rejected at most', () => {
  const settings = testSettings('/project');
  assert.equal(settings.thresholdArs, 7_000_000);
  assert.equal(settings.maxRejectedShare, 0.05);
  assert.equal(settings.usdArsRate, null);
  assert.equal(settings.source, 'sample');
  assert.equal(settings.itemsPerCategory, 50);
  assert.equal(settings.smtpAllowPlaintextPassword, false);
});

test('a bad setting stops the CLI before any work with exit 2, naming the variable', () => {
  const run = spawnSync(process.execPath, [duckdagBin, 'materialize', '--warehouse', '/nonexistent/dir/w.duckdb'], {
    cwd: repoRoot,
    env: { ...process.env, MERCADOLIBRE_ITEMS_PER_CATEGORY: '5000' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /MERCADOLIBRE_ITEMS_PER_CATEGORY must be a whole number from 1 to 1000, got "5000"/);
});

test('a bad SMTP_URL stops the CLI with exit 2 without printing its password', () => {
  const run = spawnSync(process.execPath, [duckdagBin, 'list'], {
    cwd: repoRoot,
    env: { ...process.env, SMTP_URL: 'http://user:s3cret-pass@mail.example.com' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /SMTP_URL/);
  assert.doesNotMatch(run.stderr + run.stdout, /s3cret-pass/);
});
