/**
 * Delivers an email: over SMTP when an `SMTP_URL` is configured, otherwise into an outbox folder as
 * an `.eml` file, so a run without a mail server still leaves a message anyone can open.
 */
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type { SendMailOptions } from 'nodemailer';
import { AssetFailure, CancelledError, ConfigError, DuckdagError, describeError } from 'duckdag';
import { writeFileAtomically } from '../write-file-atomically.ts';
import { isTlsFailure, plaintextPasswordRefused } from './plaintext-password-refused.ts';

/** An email to deliver. */
export interface OutgoingEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Names the outbox file, `<fileStem>.eml`; usually the run partition. A plain file name, no folders. */
  readonly fileStem: string;
}

/** What happened to a delivered email. */
export interface SentEmail {
  readonly messageId: string;
  readonly accepted: string[];
  readonly rejected: string[];
  /** The {@link MailTransport.description} of the transport that delivered it. */
  readonly transport: string;
  /** When delivery finished, ISO 8601. */
  readonly sentAt: string;
  /** The SMTP server's final reply. */
  readonly response?: string;
  /** The `.eml` file the outbox transport wrote. */
  readonly file?: string;
}

/** How one delivery may be stopped. */
export interface SendOptions {
  /** Once aborted, no delivery starts (a `CancelledError`); an SMTP delivery under way is cut off. */
  readonly signal?: AbortSignal;
}

/** Where emails go. */
export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  /** Where it delivers, never with credentials: `smtp://mail.example.com:587` or `outbox data/outbox`. */
  readonly description: string;
  /** Delivers the email; rejects with an `AssetFailure` carrying the server's reply, not retryable when the reply is permanent (5xx). */
  send(message: OutgoingEmail, options?: SendOptions): Promise<SentEmail>;
}

/** How {@link createMailTransport} picks and configures a transport. */
export interface MailTransportOptions {
  /**
   * `smtp://user:password@host:587` (STARTTLS when the server offers it) or
   * `smtps://user:password@host:465` (TLS from the start); user and password URL-encoded.
   * Without it, emails go to `outboxDir`.
   */
  readonly smtpUrl?: string;
  /** The folder the outbox transport writes `.eml` files to; created when missing. */
  readonly outboxDir: string;
  /** Extra TLS options for the SMTP connection, such as the `ca` of a private certificate authority. */
  readonly tls?: ConnectionOptions;
  /**
   * Whether an smtp:// URL with a password may log in over a connection that is not encrypted.
   * Without it, the password is sent only after STARTTLS (or over smtps://).
   * @default false
   */
  readonly allowPlaintextPassword?: boolean;
}

interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  readonly description: string;
  /** Refuse to go on, password and all, unless STARTTLS succeeds. */
  readonly requireTls: boolean;
}

const INVALID_SMTP_URL = 'DUCKDAG_SMTP_URL_INVALID';
const SMTP_URL_SHAPE = 'smtp://user:password@host:587 or smtps://user:password@host:465';

/**
 * Picks the transport: SMTP when `smtpUrl` is set, otherwise the outbox folder.
 * Throws a `ConfigError` naming `SMTP_URL` when the URL is not a valid smtp:// or smtps:// URL.
 *
 * @example
 * const transport = createMailTransport({ smtpUrl: process.env.SMTP_URL, outboxDir: 'data/outbox' });
 */
export function createMailTransport(options: MailTransportOptions): MailTransport {
  if (options.smtpUrl) return createSmtpTransport(parseSmtpUrl(options.smtpUrl, options.allowPlaintextPassword ?? false), options.tls);
  return createOutboxTransport(options.outboxDir);
}

type Nodemailer = (typeof import('nodemailer'))['default'];

/**
 * A transporter `create` makes with nodemailer, made on first use: nodemailer is loaded when the
 * first message goes out rather than whenever the pipeline is defined.
 */
function transporterOnFirstUse<T>(create: (mailer: Nodemailer) => T): () => Promise<T> {
  let transporter: Promise<T> | undefined;
  return () => (transporter ??= import('nodemailer').then((module) => create(module.default)));
}

function createSmtpTransport(settings: SmtpSettings, tls: ConnectionOptions | undefined): MailTransport {
  const transporter = transporterOnFirstUse((mailer) =>
    mailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      auth: settings.auth,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      tls,
    }),
  );
  const { description } = settings;
  return {
    kind: 'smtp',
    description,
    async send(message, options) {
      const smtp = await transporter();
      checkNotCancelled(options?.signal, description);
      const cutOff = () => smtp.close();
      options?.signal?.addEventListener('abort', cutOff);
      try {
        const info = await smtp.sendMail(mailOptions(message));
        return {
          messageId: info.messageId,
          accepted: info.accepted,
          rejected: info.rejected,
          transport: description,
          sentAt: new Date().toISOString(),
          response: info.response,
        };
      } catch (error) {
        if (options?.signal?.aborted) throw new CancelledError(`sending email via ${description} was cut off: the run was cancelled`, { cause: error });
        if (settings.requireTls && isTlsFailure(error)) throw plaintextPasswordRefused(description, error);
        throw new AssetFailure(`sending email via ${description} failed: ${describeError(error)}`, {
          cause: error,
          retryable: !isPermanent(error),
        });
      } finally {
        options?.signal?.removeEventListener('abort', cutOff);
      }
    },
  };
}

function checkNotCancelled(signal: AbortSignal | undefined, description: string): void {
  if (signal?.aborted) throw new CancelledError(`no email sent via ${description}: the run was cancelled`);
}

/** An SMTP 5xx reply (a refused recipient, a failed login) will not pass by trying again. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function createOutboxTransport(outboxDir: string): MailTransport {
  const transporter = transporterOnFirstUse((mailer) => mailer.createTransport({ streamTransport: true, buffer: true }));
  const description = `outbox ${outboxDir}`;
  return {
    kind: 'outbox',
    description,
    async send(message, options) {
      const file = path.join(outboxDir, `${checkedFileStem(message.fileStem)}.eml`);
      const outbox = await transporter();
      checkNotCancelled(options?.signal, description);
      const info = await outbox.sendMail(mailOptions(message));
      await writeFileAtomically(file, info.message as Buffer);
      return {
        messageId: info.messageId,
        accepted: info.envelope.to,
        rejected: [],
        transport: description,
        sentAt: new Date().toISOString(),
        file,
      };
    },
  };
}

function mailOptions(message: OutgoingEmail): SendMailOptions {
  return { from: message.from, to: [...message.to], subject: message.subject, html: message.html, text: message.text };
}

function checkedFileStem(fileStem: string): string {
  if (fileStem !== '' && path.basename(fileStem) === fileStem && !fileStem.startsWith('.')) return fileStem;
  throw new DuckdagError('DUCKDAG_MAIL_FILE_STEM_INVALID', `the outbox file stem must be a plain file name, got ${JSON.stringify(fileStem)}`);
}

/** Reads an SMTP URL without ever putting the password, or the URL holding it, in an error. */
function parseSmtpUrl(smtpUrl: string, allowPlaintextPassword: boolean): SmtpSettings {
  const url = parseUrl(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw smtpUrlError(`must use the smtp or smtps scheme, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.hostname === '') throw smtpUrlError('has no host');
  if (url.pathname !== '' && url.pathname !== '/') throw smtpUrlError('must not have a path');
  if (url.search !== '' || url.hash !== '') throw smtpUrlError('must not have a query or fragment');
  const secure = url.protocol === 'smtps:';
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    secure,
    ...(url.username === '' ? {} : { auth: { user: decodeUserinfo(url.username), pass: decodeUserinfo(url.password) } }),
    description: `${url.protocol}//${url.hostname}:${port}`,
    requireTls: !secure && url.username !== '' && !allowPlaintextPassword,
  };
}

function parseUrl(smtpUrl: string): URL {
  try {
    return new URL(smtpUrl);
  } catch {
    throw smtpUrlError('is not a valid URL');
  }
}

function decodeUserinfo(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw smtpUrlError('has a user or password with invalid %-encoding (write @ : / as %40 %3A %2F)');
  }
}

function smtpUrlError(problem: string): ConfigError {
  return new ConfigError(INVALID_SMTP_URL, `SMTP_URL ${problem}; expected ${SMTP_URL_SHAPE}`);
}
