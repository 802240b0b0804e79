import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { simpleParser, type AddressObject } from 'mailparser';
import { startFakeApi, type FakeApi } from './support/fake-mercadolibre-api.ts';
import { duckdagBin, repoRoot } from './support/fixture-project.ts';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-test-server.ts';
import { tempDir } from './support/temp-dir.ts';

const SMTP_USER = 'alerts@duckdag.test';
const SMTP_PASSWORD = 'sm7p-p@ss-w0rd';
const TOKEN = 'APP_USR-e2e-token-987';
const TITLE = 'Cámara Réflex Ñandú «edición única»';

interface Project {
  readonly api: FakeApi;
  readonly smtp: TestSmtpServer;
  /** Runs the real CLI on pipeline.config.ts against the local API and SMTP server. */
  run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

type Listings = Pick<Parameters<typeof startFakeApi>[1], 'listings' | 'listing'>;

/** MLA1 has one listing worth ARS 25,000,000 and one below the threshold; MLA2 has plain ones. */
const oneBigSale: Listings = {
  listings: { MLA1: 2, MLA2: 3 },
  listing: (category, index) =>
    category === 'MLA1' && index === 0
      ? { id: 'MLA900001', title: TITLE, price: 50000, currency_id: 'ARS', sold_quantity: 500, permalink: 'https://articulo.mercadolibre.com.ar/MLA-900001-camara-_JM', thumbnail: 'http://http2.mlstatic.com/D_1-I.jpg' }
      : { id: `MLA${category.slice(3)}0${index}`, title: `Item ${index}`, price: 100, currency_id: 'ARS', sold_quantity: 5 },
};

async function project(t: TestContext, smtpOptions: Parameters<typeof startSmtpServer>[2] = {}, listings: Listings = oneBigSale): Promise<Project> {
  const dir = tempDir(t);
  const api = await startFakeApi(t, listings);
  const smtp = await startSmtpServer(t, { username: SMTP_USER, password: SMTP_PASSWORD }, smtpOptions);
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MERCADOLIBRE_SOURCE: 'api',
    MERCADOLIBRE_API_URL: api.url,
    MERCADOLIBRE_ACCESS_TOKEN: TOKEN,
    MERCADOLIBRE_RESPONSES_DIR: join(dir, 'responses'),
    ALERT_OUTBOX_DIR: join(dir, 'outbox'),
    ALERT_EMAIL_TO: 'ana@duckdag.test, bruno@duckdag.test',
    ALERT_EMAIL_FROM: 'duckdag <alerts@duckdag.test>',
    SMTP_URL: `smtp://${encodeURIComponent(SMTP_USER)}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${smtp.port}`,
    // The test server has no certificate that a client would trust, so it offers no STARTTLS.
    SMTP_ALLOW_PLAINTEXT_PASSWORD: 'true',
    DUCKDAG_WAREHOUSE: join(dir, 'warehouse.duckdb'),
  };
  outboxes.set(t, join(dir, 'outbox'));
  return {
    api,
    smtp,
    run: (args, env = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [duckdagBin, ...args], { cwd: repoRoot, env: { ...baseEnv, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
  };
}

const outboxes = new WeakMap<TestContext, string>();

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  [field ?? []].flat().flatMap((object) => object.value.map((address) => address.address));

test('the pipeline fetches from the API and emails the alert over SMTP, with HTML and text parts', async (t) => {
  const { smtp, run, api } = await project(t);
  const result = await run(['materialize', '--partition', '2026-11-24']);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.ok(api.requests.every((request) => request.authorization === `Bearer ${TOKEN}`));
  assert.equal(smtp.received.length, 1);
  assert.deepEqual(smtp.logins.map((login) => login.username), [SMTP_USER]);
  const mail = await simpleParser(smtp.received[0]!.raw);
  assert.equal(mail.subject, 'MercadoLibre sales alert 2026-11-24: 1 listing ≥ ARS 7.000.000');
  assert.deepEqual(addresses(mail.to), ['ana@duckdag.test', 'bruno@duckdag.test']);
  assert.deepEqual(smtp.received[0]!.recipients, ['ana@duckdag.test', 'bruno@duckdag.test']);
  assert.ok(typeof mail.html === 'string' && mail.html.includes(TITLE), 'the HTML part names the listing in UTF-8');
  assert.match(mail.text ?? '', new RegExp(TITLE));
  assert.match(mail.text ?? '', /25\.000\.000/);
});

test('secrets appear nowhere: not in output, not in the warehouse', async (t) => {
  const { run } = await project(t);
  const result = await run(['materialize', '--partition', '2026-11-24']);
  assert.equal(result.code, 0, result.stderr);
  const history = await run(['query', `SELECT (SELECT string_agg(CAST(metadata AS VARCHAR), ' ') FROM duckdag.materializations) || (SELECT string_agg(CAST(value AS VARCHAR), ' ') FROM duckdag.asset_values) AS everything`, '--json']);
  for (const text of [result.stdout, result.stderr, history.stdout]) {
    assert.doesNotMatch(text, new RegExp(SMTP_PASSWORD));
    assert.doesNotMatch(text, new RegExp(encodeURIComponent(SMTP_PASSWORD)));
    assert.doesNotMatch(text, new RegExp(TOKEN));
  }
  assert.match(history.stdout, /smtp:\/\/127\.0\.0\.1/);
});

test('a re-run sends nothing new and does not call the API again; --force sends again', async (t) => {
  const { smtp, run, api } = await project(t);
  assert.equal((await run(['materialize', '--partition', '2026-11-24'])).code, 0);
  const requests = api.requests.length;
  const again = await run(['materialize', '--partition', '2026-11-24']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already sent for 2026-11-24/);
  assert.equal(smtp.received.length, 1);
  assert.equal(api.requests.length, requests);
  const forced = await run(['materialize', '--partition', '2026-11-24', '--select', 'sales_alert_email', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(smtp.received.length, 2);
});

test('when no listing reaches the threshold, the email assets are skipped, nothing is sent and the run exits 0', async (t) => {
  const { smtp, run } = await project(t);
  const result = await run(['materialize', '--partition', '2026-11-24'], { HIGH_VOLUME_THRESHOLD_ARS: '1000000000' });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /email_body skipped: upstream high_volume_sales is empty/);
  assert.equal(smtp.received.length, 0);
  const status = JSON.parse((await run(['status', '--json'])).stdout) as { asset: string; status: string; detail: string }[];
  assert.deepEqual(
    status.filter((row) => row.asset === 'email_body' || row.asset === 'sales_alert_email').map((row) => [row.asset, row.status, row.detail]),
    [
      ['email_body', 'skipped', 'upstream high_volume_sales is empty'],
      ['sales_alert_email', 'skipped', 'upstream high_volume_sales is empty'],
    ],
  );
});

test('an SMTP refusal fails the email asset with the server reply, keeps the body, and exits 1', async (t) => {
  const { smtp, run } = await project(t, {
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('5.7.1 Relaying denied'), { responseCode: 550 }));
    },
  });
  const result = await run(['materialize', '--partition', '2026-11-24']);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /✗ sales_alert_email failed: .*550 5\.7\.1 Relaying denied/);
  assert.equal(smtp.received.length, 0);
  const body = await run(['query', `SELECT count(*) AS n FROM duckdag.asset_values WHERE asset = 'email_body'`, '--json']);
  assert.deepEqual(JSON.parse(body.stdout), [{ n: 1 }]);
});

test('without SMTP_ALLOW_PLAINTEXT_PASSWORD the email asset fails before the password reaches a server without STARTTLS', async (t) => {
  const { smtp, run } = await project(t);
  const result = await run(['materialize', '--partition', '2026-11-24'], { SMTP_ALLOW_PLAINTEXT_PASSWORD: '' });
  assert.equal(result.code, 1);
  assert.match(result.stdout, /✗ sales_alert_email failed: .*did not start TLS.*set SMTP_ALLOW_PLAINTEXT_PASSWORD=true/);
  assert.deepEqual(smtp.logins, []);
  assert.equal(smtp.received.length, 0);
});

test('an API that answers 403 fails raw_listings at once with the access explanation and keeps no responses', async (t) => {
  const dir = tempDir(t);
  const api = await startFakeApi(t, {
    listings: { MLA1: 1 },
    respond: (request) => (request.path.endsWith('/search') ? { status: 403, body: '{"message":"forbidden","error":"forbidden","status":403}' } : undefined),
  });
  const child = spawn(process.execPath, [duckdagBin, 'materialize', '--select', 'raw_listings'], {
    cwd: repoRoot,
    env: { ...process.env, MERCADOLIBRE_SOURCE: 'api', MERCADOLIBRE_API_URL: api.url, MERCADOLIBRE_RESPONSES_DIR: join(dir, 'responses'), DUCKDAG_WAREHOUSE: join(dir, 'w.duckdb') },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 1);
  assert.match(stdout, /raw_listings failed: .*403 forbidden.*April 2025/);
  assert.equal(api.requests.filter((request) => request.path.endsWith('/search')).length, 1);
  assert.deepEqual(readdirSync(join(dir, 'responses')), []);
});

/** The big sale of `oneBigSale`, among ten listings of which three come without a price. */
const thirtyPercentWithoutPrice: Listings = {
  listings: { MLA1: 5, MLA2: 5 },
  listing: (category, index) => {
    const plain = oneBigSale.listing!(category, index);
    return (category === 'MLA1' && index === 4) || (category === 'MLA2' && index < 2) ? { ...plain, price: null } : plain;
  },
};

test('when 30% of the listings have no price, the rejected-share check holds the day back: no email, exit 1, status names the check', async (t) => {
  const { smtp, run } = await project(t, {}, thirtyPercentWithoutPrice);
  const result = await run(['materialize', '--partition', '2026-11-24']);
  assert.equal(result.code, 1, result.stderr + result.stdout);
  assert.match(result.stdout, /✗ cleaned_listings held back: check rejected_share on cleaned_listings failed/);
  assert.match(result.stdout, /✗ check rejected_share \(error\): 1 failing of 7 rows \(0 allowed\)/);
  assert.match(result.stdout, /e\.g\. \{"rejected":3,"raw":10,"rejected_share":0\.3,"max_rejected_share":0\.05\}/);
  assert.match(result.stdout, /✗ sales_alert_email not run: check rejected_share on cleaned_listings failed/);
  assert.equal(smtp.received.length, 0);
  const outbox = outboxes.get(t)!;
  assert.deepEqual(existsSync(outbox) ? readdirSync(outbox) : [], [], 'no preview or .eml in the outbox');
  const status = await run(['status', '--partition', '2026-11-24']);
  assert.match(status.stdout, /cleaned_listings.*check_failed.*check rejected_share on cleaned_listings failed/);
  assert.match(status.stdout, /checks that did not pass:\ncleaned_listings \[2026-11-24\]\n  ✗ check rejected_share \(error\)/);
  assert.match(status.stdout, /"rejected":3,"raw":10/);
  const rows = JSON.parse((await run(['status', '--json', '--partition', '2026-11-24'])).stdout) as { asset: string; status: string; detail: string; checks: { check: string; passed: boolean }[] }[];
  const byAsset = Object.fromEntries(rows.map((row) => [row.asset, row]));
  assert.equal(byAsset.cleaned_listings?.status, 'check_failed');
  assert.deepEqual(byAsset.cleaned_listings?.checks.filter((check) => !check.passed).map((check) => check.check), ['rejected_share']);
  assert.deepEqual([byAsset.sales_alert_email?.status, byAsset.sales_alert_email?.detail], ['upstream_failed', 'check rejected_share on cleaned_listings failed']);
});

test('MAX_REJECTED_SHARE above the day\'s share lets the same listings through to the email', async (t) => {
  const { smtp, run } = await project(t, {}, thirtyPercentWithoutPrice);
  const result = await run(['materialize', '--partition', '2026-11-24'], { MAX_REJECTED_SHARE: '0.3' });
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.equal(smtp.received.length, 1);
});

test('materialize --checks-only judges the stored day again: with the default share it fails, naming the check, and sends nothing', async (t) => {
  const { smtp, run } = await project(t, {}, thirtyPercentWithoutPrice);
  assert.equal((await run(['materialize', '--partition', '2026-11-24'], { MAX_REJECTED_SHARE: '0.3' })).code, 0);
  const checked = await run(['materialize', '--partition', '2026-11-24', '--checks-only']);
  assert.equal(checked.code, 1, checked.stderr + checked.stdout);
  assert.match(checked.stdout, /✗ cleaned_listings \[2026-11-24\]: 3 of 4 checks passed\n  ✗ check rejected_share \(error\)/);
  assert.match(checked.stdout, /✓ high_volume_sales \[2026-11-24\]: 3 checks passed/);
  assert.match(checked.stdout, /checks run \S+ failed \(partition 2026-11-24\): 8 passed, 1 failed/);
  assert.equal(smtp.received.length, 1);
  const materializations = await run(['query', `SELECT count(*) AS n FROM duckdag.materializations`, '--json']);
  assert.deepEqual(JSON.parse(materializations.stdout), [{ n: 9 }]);
});
