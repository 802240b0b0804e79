import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMailTransport } from '../assets/email/mail-transport.ts';
import { mercadoLibreAssets, mercadoLibreResources } from '../assets/index.ts';
import { listing, writeResponses } from './support/listing-responses.ts';
import { testSettings } from './support/pipeline-settings.ts';
import { startSmtpServer } from './support/smtp-test-server.ts';
import { tempDir } from './support/temp-dir.ts';
import { statuses, tempWarehouse } from './support/temp-warehouse.ts';

test('a test swaps the mail transport for one of its own without rebuilding any asset', async (t) => {
  const root = tempDir(t);
  writeResponses(join(root, 'sample'), { MLA1000: [[listing('MLA1', { price: 100_000, sold_quantity: 500 })]] });
  const smtp = await startSmtpServer(t, null);
  const resources = { ...mercadoLibreResources(testSettings(root)), mail: createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, outboxDir: join(root, 'unused') }) };
  const result = await tempWarehouse(t).run(mercadoLibreAssets, { resources });
  assert.equal(statuses(result).sales_alert_email, 'materialized');
  assert.equal(smtp.received.length, 1);
  assert.deepEqual(smtp.received[0]?.recipients, ['ventas@example.com']);
  assert.equal(existsSync(join(root, 'outbox', '2026-11-24.eml')), false);
});

test('a resource the config does not provide stops the run before anything runs, naming the asset and the key', async (t) => {
  const root = tempDir(t);
  const { mail: _mail, ...withoutMail } = mercadoLibreResources(testSettings(root));
  const warehouse = tempWarehouse(t);
  await assert.rejects(warehouse.run(mercadoLibreAssets, { resources: withoutMail }), {
    code: 'DUCKDAG_RESOURCE_MISSING',
    message: 'asset sales_alert_email needs resource "mail", which the config does not provide (provided: listingSource, settings)',
  });
  assert.deepEqual(await warehouse.query('SELECT count(*) AS runs FROM duckdag.runs'), [{ runs: 0 }]);
});
