/**
 * The pipeline's settings: defaults from `pipeline.config.ts`, overridden by environment variables,
 * checked once before any work. A bad value stops the command with exit code 2, naming the variable.
 */
import { resolve } from 'node:path';
import { ConfigError } from 'duckdag';
import { ALLOW_PLAINTEXT_PASSWORD } from './email/plaintext-password-refused.ts';

/** Defaults, as written in `pipeline.config.ts`; paths are relative to `rootDir`. */
export interface PipelineDefaults {
  readonly rootDir: string;
  readonly source: 'sample' | 'api';
  readonly sampleDir: string;
  readonly responsesDir: string;
  readonly apiUrl: string;
  readonly site: string;
  readonly itemsPerCategory: number;
  readonly apiConcurrency: number;
  readonly apiTimeoutMs: number;
  readonly thresholdArs: number;
  /** The largest share (0–1) of a day's raw listings that may be rejected before the day is held back. */
  readonly maxRejectedShare: number;
  readonly emailTo: readonly string[];
  readonly emailFrom: string;
  readonly outboxDir: string;
  /** How many listings the email shows. */
  readonly emailTopN: number;
}

export interface PipelineSettings extends Omit<PipelineDefaults, 'rootDir'> {
  readonly accessToken: string | undefined;
  /** ARS per USD; listings in USD get no `price_ars` without it. */
  readonly usdArsRate: number | null;
  /** Where mail goes; unset means the outbox folder. Holds credentials: never print it. */
  readonly smtpUrl: string | undefined;
  /** Whether the SMTP password may go over a connection without TLS (`SMTP_ALLOW_PLAINTEXT_PASSWORD`). */
  readonly smtpAllowPlaintextPassword: boolean;
}

/** Reads the environment over the defaults; throws `ConfigError` naming the first bad variable. */
export function resolvePipelineSettings(defaults: PipelineDefaults, env: NodeJS.ProcessEnv): PipelineSettings {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const path = (name: string, fallback: string) => resolve(defaults.rootDir, read(name) ?? fallback);
  return {
    source: oneOf('MERCADOLIBRE_SOURCE', read('MERCADOLIBRE_SOURCE') ?? defaults.source, ['sample', 'api'] as const),
    sampleDir: path('MERCADOLIBRE_SAMPLE_DIR', defaults.sampleDir),
    responsesDir: path('MERCADOLIBRE_RESPONSES_DIR', defaults.responsesDir),
    apiUrl: httpUrl('MERCADOLIBRE_API_URL', read('MERCADOLIBRE_API_URL') ?? defaults.apiUrl),
    site: matching('MERCADOLIBRE_SITE', read('MERCADOLIBRE_SITE') ?? defaults.site, /^[A-Z]{3}$/, 'three capital letters such as MLA'),
    accessToken: read('MERCADOLIBRE_ACCESS_TOKEN'),
    itemsPerCategory: integer('MERCADOLIBRE_ITEMS_PER_CATEGORY', read('MERCADOLIBRE_ITEMS_PER_CATEGORY'), defaults.itemsPerCategory, 1, 1000),
    apiConcurrency: integer('MERCADOLIBRE_CONCURRENCY', read('MERCADOLIBRE_CONCURRENCY'), defaults.apiConcurrency, 1, 64),
    apiTimeoutMs: integer('MERCADOLIBRE_TIMEOUT_MS', read('MERCADOLIBRE_TIMEOUT_MS'), defaults.apiTimeoutMs, 1, 600_000),
    usdArsRate: optionalPositive('USD_ARS_RATE', read('USD_ARS_RATE')),
    thresholdArs: nonNegative('HIGH_VOLUME_THRESHOLD_ARS', read('HIGH_VOLUME_THRESHOLD_ARS'), defaults.thresholdArs),
    maxRejectedShare: share('MAX_REJECTED_SHARE', read('MAX_REJECTED_SHARE'), defaults.maxRejectedShare),
    emailTo: addresses('ALERT_EMAIL_TO', read('ALERT_EMAIL_TO'), defaults.emailTo),
    emailFrom: addresses('ALERT_EMAIL_FROM', read('ALERT_EMAIL_FROM'), [defaults.emailFrom])[0] ?? defaults.emailFrom,
    outboxDir: path('ALERT_OUTBOX_DIR', defaults.outboxDir),
    emailTopN: integer('ALERT_EMAIL_TOP_N', read('ALERT_EMAIL_TOP_N'), defaults.emailTopN, 1, 1000),
    smtpUrl: read('SMTP_URL'),
    smtpAllowPlaintextPassword: oneOf(ALLOW_PLAINTEXT_PASSWORD, read(ALLOW_PLAINTEXT_PASSWORD) ?? 'false', ['true', 'false'] as const) === 'true',
  };
}

function invalid(variable: string, rule: string, value: string): ConfigError {
  return new ConfigError('DUCKDAG_SETTING_INVALID', `${variable} must be ${rule}, got "${value}"`);
}

function oneOf<const T extends string>(variable: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw invalid(variable, `one of ${choices.join(', ')}`, value);
  return value as T;
}

function matching(variable: string, value: string, pattern: RegExp, rule: string): string {
  if (!pattern.test(value)) throw invalid(variable, rule, value);
  return value;
}

function httpUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(variable, 'an http:// or https:// URL', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(variable, 'an http:// or https:// URL', value);
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError('DUCKDAG_SETTING_INVALID', `${variable} must not carry credentials; use MERCADOLIBRE_ACCESS_TOKEN`);
  }
  return value.replace(/\/+$/, '');
}

function integer(variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw invalid(variable, `a whole number from ${min} to ${max}`, value);
  return number;
}

function parseNumber(value: string): number {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value) ? Number(value) : Number.NaN;
}

function nonNegative(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = parseNumber(value.replaceAll('_', ''));
  if (!Number.isFinite(number) || number < 0) throw invalid(variable, 'a number ≥ 0 (ARS, e.g. 7000000)', value);
  return number;
}

function share(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = parseNumber(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw invalid(variable, 'a share from 0 to 1 (0.05 is 5%)', value);
  return number;
}

function optionalPositive(variable: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const number = parseNumber(value);
  if (!Number.isFinite(number) || number <= 0) throw invalid(variable, 'a positive number (ARS per USD, e.g. 1180.5)', value);
  return number;
}

const addressPattern = /^(?:[^<>]*<)?[^\s@<>,]+@[^\s@<>,]+(?:>)?$/;

function addresses(variable: string, value: string | undefined, fallback: readonly string[]): string[] {
  if (value === undefined) return [...fallback];
  const list = value.split(',').map((address) => address.trim()).filter((address) => address !== '');
  const bad = list.find((address) => !addressPattern.test(address));
  if (list.length === 0 || bad !== undefined) throw invalid(variable, 'comma-separated email addresses', bad ?? value);
  return list;
}
