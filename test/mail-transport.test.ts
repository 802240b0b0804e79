import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { SMTPServerOptions } from 'smtp-server';
import { createMailTransport } from '../assets/email/mail-transport.ts';
import { AssetFailure } from '../core/kernel/errors.ts';
import type { OutgoingEmail } from '../assets/email/mail-transport.ts';
import { startSmtpServer as startTestSmtpServer, type ReceivedMessage, type TestSmtpServer } from './support/smtp-test-server.ts';

const USERNAME = 'alerts@duckdag.test';
const PASSWORD = 'p@ss:w/rd ñ#hunter2';
const CREDENTIALS = `${encodeURIComponent(USERNAME)}:${encodeURIComponent(PASSWORD)}`;
const RECIPIENTS = ['ana@duckdag.test', 'bruno@duckdag.test', 'carla@duckdag.test'];
const TITLE = 'Cámara Réflex Ñandú';

/**
 * smtp-server's built-in certificate (CN=localhost) expired in 2025, so the TLS tests skip
 * verification through the transport's `tls` option; tests of other behaviour use a server without
 * STARTTLS and, when they log in, `allowPlaintextPassword`.
 */
const TEST_ONLY_TLS = { rejectUnauthorized: false };

const startSmtpServer = (t: TestContext, options: SMTPServerOptions = {}) =>
  startTestSmtpServer(t, { username: USERNAME, password: PASSWORD }, options);

function alertEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    from: 'duckdag <duckdag@duckdag.test>',
    to: RECIPIENTS,
    subject: `MercadoLibre sales alert 2026-11-24: ${TITLE} ≥ ARS 7.000.000`,
    html: `<p><a href="https://articulo.mercadolibre.com.ar/MLA-1116621831">${TITLE}</a> ARS 61.097.650</p>`,
    text: `${TITLE}: ARS 61.097.650`,
    fileStem: '2026-11-24',
    ...overrides,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : [field].flat();
  return objects.flatMap((object) => object.value.map((address) => address.address ?? ''));
}

function onlyMessage(server: TestSmtpServer): ReceivedMessage {
  assert.equal(server.received.length, 1);
  const [message] = server.received;
  assert.ok(message);
  return message;
}

function assertAlertParts(parsed: ParsedMail): void {
  assert.equal(parsed.subject, `MercadoLibre sales alert 2026-11-24: ${TITLE} ≥ ARS 7.000.000`);
  assert.ok(typeof parsed.html === 'string' && parsed.html.includes(`>${TITLE}</a>`), 'the HTML part arrives');
  assert.equal(parsed.text?.trim(), `${TITLE}: ARS 61.097.650`);
  assert.deepEqual(addresses(parsed.to), RECIPIENTS);
}

function assertNoPassword(error: unknown): true {
  const rendered = inspect(error, { depth: 10 });
  for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), 'hunter2']) assert.ok(!rendered.includes(secret), `error leaks ${secret}`);
  return true;
}

test('smtp transport delivers the HTML and text parts to every recipient with a UTF-8 subject', async (t) => {
  const server = await startSmtpServer(t, { authOptional: true });
  const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${server.port}`, outboxDir: 'unused' });

  const sent = await transport.send(alertEmail());

  const message = onlyMessage(server);
  assert.deepEqual(message.recipients, RECIPIENTS);
  const parsed = await simpleParser(message.raw);
  assertAlertParts(parsed);
  assert.equal(sent.messageId, parsed.messageId);
  assert.deepEqual(sent.accepted, RECIPIENTS);
  assert.deepEqual(sent.rejected, []);
  assert.equal(sent.transport, `smtp://127.0.0.1:${server.port}`);
  assert.match(sent.response ?? '', /^250 /);
  assert.ok(!Number.isNaN(Date.parse(sent.sentAt)));
  assert.equal(sent.file, undefined);
  assert.equal(message.secure, false, 'plain SMTP when the server offers no STARTTLS');
});

test('smtp transport logs in with the URL-decoded username and password', async (t) => {
  const server = await startSmtpServer(t, { disabledCommands: [] });
  const transport = createMailTransport({ smtpUrl: `smtp://${CREDENTIALS}@127.0.0.1:${server.port}`, outboxDir: 'unused', tls: TEST_ONLY_TLS });

  await transport.send(alertEmail());

  assert.deepEqual(server.logins, [{ username: USERNAME, password: PASSWORD }]);
  onlyMessage(server);
});

test('smtp transport upgrades to TLS with STARTTLS when the server offers it', async (t) => {
  const server = await startSmtpServer(t, { disabledCommands: [] });
  const transport = createMailTransport({
    smtpUrl: `smtp://${CREDENTIALS}@127.0.0.1:${server.port}`,
    outboxDir: 'unused',
    tls: TEST_ONLY_TLS,
  });

  await transport.send(alertEmail());

  assert.equal(onlyMessage(server).secure, true);
});

test('smtp transport with a password never logs in to a server that does not offer STARTTLS, and says what to do', async (t) => {
  const server = await startSmtpServer(t);
  const transport = createMailTransport({ smtpUrl: `smtp://${CREDENTIALS}@127.0.0.1:${server.port}`, outboxDir: 'unused' });

  await assert.rejects(transport.send(alertEmail()), (error: Error) => {
    assert.match(error.message, /did not start TLS/);
    assert.match(error.message, /SMTP_ALLOW_PLAINTEXT_PASSWORD=true/);
    assert.ok(error instanceof AssetFailure);
    assert.equal(error.retryable, false);
    return assertNoPassword(error);
  });
  assert.deepEqual(server.logins, []);
  assert.equal(server.received.length, 0);
});

test('smtp transport sends the password unencrypted only when allowPlaintextPassword says so', async (t) => {
  const server = await startSmtpServer(t);
  const transport = createMailTransport({
    smtpUrl: `smtp://${CREDENTIALS}@127.0.0.1:${server.port}`,
    outboxDir: 'unused',
    allowPlaintextPassword: true,
  });

  await transport.send(alertEmail());

  assert.deepEqual(server.logins, [{ username: USERNAME, password: PASSWORD }]);
  assert.equal(onlyMessage(server).secure, false);
});

test('smtps transport speaks TLS from the first byte', async (t) => {
  const server = await startSmtpServer(t, { secure: true });
  const transport = createMailTransport({
    smtpUrl: `smtps://${CREDENTIALS}@127.0.0.1:${server.port}`,
    outboxDir: 'unused',
    tls: TEST_ONLY_TLS,
  });

  await transport.send(alertEmail());

  const message = onlyMessage(server);
  assert.equal(message.secure, true);
  assertAlertParts(await simpleParser(message.raw));
});

test('smtp transport rejects with the server reply when the recipient is refused, without the password', async (t) => {
  const server = await startSmtpServer(t, {
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('5.1.1 Mailbox nobody@duckdag.test does not exist'), { responseCode: 550 }));
    },
  });
  const smtpUrl = `smtp://${CREDENTIALS}@127.0.0.1:${server.port}`;
  const transport = createMailTransport({ smtpUrl, outboxDir: 'unused', allowPlaintextPassword: true });

  await assert.rejects(transport.send(alertEmail({ to: ['nobody@duckdag.test'] })), (error: Error) => {
    assert.match(error.message, /550 5\.1\.1 Mailbox nobody@duckdag\.test does not exist/);
    assert.ok(error.message.includes(`smtp://127.0.0.1:${server.port}`), error.message);
    assert.ok(error instanceof AssetFailure);
    assert.equal(error.retryable, false);
    return assertNoPassword(error);
  });
  assert.equal(server.received.length, 0);
});

test('smtp transport marks a temporary refusal (4xx) as worth retrying', async (t) => {
  const server = await startSmtpServer(t, {
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
    },
  });
  const transport = createMailTransport({ smtpUrl: `smtp://${CREDENTIALS}@127.0.0.1:${server.port}`, outboxDir: 'unused', allowPlaintextPassword: true });
  await assert.rejects(transport.send(alertEmail()), (error: unknown) => error instanceof AssetFailure && error.retryable && /451 4\.3\.0 Try again later/.test(error.message));
});

test('smtp transport reports recipients the server refused while delivering to the others', async (t) => {
  const server = await startSmtpServer(t, {
    authOptional: true,
    onRcptTo(address, _session, callback) {
      if (address.address === 'nobody@duckdag.test') callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      else callback();
    },
  });
  const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${server.port}`, outboxDir: 'unused' });

  const sent = await transport.send(alertEmail({ to: ['ana@duckdag.test', 'nobody@duckdag.test'] }));

  assert.deepEqual(sent.accepted, ['ana@duckdag.test']);
  assert.deepEqual(sent.rejected, ['nobody@duckdag.test']);
  assert.deepEqual(onlyMessage(server).recipients, ['ana@duckdag.test']);
});

test('smtp transport rejects a wrong password with the server reply, without the password', async (t) => {
  const server = await startSmtpServer(t);
  const wrong = `${encodeURIComponent(USERNAME)}:${encodeURIComponent(`${PASSWORD}-wrong`)}`;
  const transport = createMailTransport({ smtpUrl: `smtp://${wrong}@127.0.0.1:${server.port}`, outboxDir: 'unused', allowPlaintextPassword: true });

  await assert.rejects(transport.send(alertEmail()), (error: Error) => {
    assert.match(error.message, /535 /);
    assert.ok(error.message.includes(`smtp://127.0.0.1:${server.port}`), error.message);
    return assertNoPassword(error);
  });
});

test('smtp transport description names scheme, host and default port, never credentials', () => {
  const plain = createMailTransport({ smtpUrl: `smtp://${CREDENTIALS}@mail.example.com`, outboxDir: 'unused' });
  const implicitTls = createMailTransport({ smtpUrl: `smtps://${CREDENTIALS}@mail.example.com`, outboxDir: 'unused' });
  const ipv6 = createMailTransport({ smtpUrl: 'smtp://[::1]:2525', outboxDir: 'unused' });

  assert.deepEqual([plain.kind, plain.description], ['smtp', 'smtp://mail.example.com:587']);
  assert.deepEqual([implicitTls.kind, implicitTls.description], ['smtp', 'smtps://mail.example.com:465']);
  assert.equal(ipv6.description, 'smtp://[::1]:2525');
});

test('outbox transport writes a parseable .eml with both parts, atomically', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'duckdag-outbox-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const outboxDir = path.join(dir, 'data', 'outbox');
  const transport = createMailTransport({ outboxDir });

  const sent = await transport.send(alertEmail());

  assert.equal(transport.kind, 'outbox');
  assert.equal(transport.description, `outbox ${outboxDir}`);
  assert.equal(sent.file, path.join(outboxDir, '2026-11-24.eml'));
  assert.deepEqual(await readdir(outboxDir), ['2026-11-24.eml']);
  const parsed = await simpleParser(await readFile(path.join(outboxDir, '2026-11-24.eml')));
  assertAlertParts(parsed);
  assert.equal(sent.messageId, parsed.messageId);
  assert.deepEqual(sent.accepted, RECIPIENTS);
  assert.equal(sent.transport, `outbox ${outboxDir}`);
});

test('outbox transport refuses a file stem that is not a plain file name', async () => {
  const transport = createMailTransport({ outboxDir: path.join(tmpdir(), 'duckdag-never-written') });

  await assert.rejects(transport.send(alertEmail({ fileStem: '../escape' })), { code: 'DUCKDAG_MAIL_FILE_STEM_INVALID' });
});

test('an empty SMTP URL means the outbox', () => {
  assert.equal(createMailTransport({ smtpUrl: '', outboxDir: 'data/outbox' }).kind, 'outbox');
});

for (const [problem, smtpUrl] of [
  ['another scheme', `http://${CREDENTIALS}@mail.example.com`],
  ['garbage', `not a url ${PASSWORD}`],
  ['no host', 'smtp://'],
  ['a path', `smtp://${CREDENTIALS}@mail.example.com/inbox`],
  ['a query', `smtp://${CREDENTIALS}@mail.example.com?secure=true`],
  ['bad %-encoding', `smtp://user:%E0%A4%A-hunter2@mail.example.com`],
] as const) {
  test(`createMailTransport rejects an SMTP URL with ${problem}, naming SMTP_URL but not the password`, () => {
    assert.throws(
      () => createMailTransport({ smtpUrl, outboxDir: 'unused' }),
      (error: Error) => {
        assert.equal(error.name, 'ConfigError');
        assert.equal((error as Error & { code?: string }).code, 'DUCKDAG_SMTP_URL_INVALID');
        assert.match(error.message, /^SMTP_URL /);
        return assertNoPassword(error);
      },
    );
  });
}
