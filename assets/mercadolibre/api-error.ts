/**
 * A failed call to the MercadoLibre API, saying what was asked (the URL; the token travels in a
 * header and never appears here), what came back, and what to do about it.
 */
import { AssetFailure } from 'duckdag';

export interface ApiErrorDetails {
  readonly url: string;
  readonly status?: number;
  /** The body's `error` or `code`, e.g. `forbidden`, `PA_UNAUTHORIZED_RESULT_FROM_POLICIES`. */
  readonly apiCode?: string;
  readonly categoryId?: string;
  /** Tries made, when retries ran out. */
  readonly attempts?: number;
}

/** Retryable (by the asset's retry policy) only when the API was overloaded or unreachable. */
export class MercadoLibreApiError extends AssetFailure {
  override readonly name = 'MercadoLibreApiError';
  readonly url: string;
  readonly status: number | undefined;
  readonly apiCode: string | undefined;
  readonly categoryId: string | undefined;

  constructor(problem: string, details: ApiErrorDetails, options?: { cause?: unknown }) {
    const transient = details.status === undefined || details.status === 429 || details.status >= 500;
    super(describe(problem, details), { ...options, retryable: transient && details.attempts !== undefined });
    this.url = details.url;
    this.status = details.status;
    this.apiCode = details.apiCode;
    this.categoryId = details.categoryId;
  }
}

function describe(problem: string, details: ApiErrorDetails): string {
  const where = details.categoryId === undefined ? details.url : `category ${details.categoryId}, ${details.url}`;
  const status = details.status === undefined ? '' : ` answered ${details.status}${details.apiCode ? ` ${details.apiCode}` : ''}`;
  const attempts = details.attempts === undefined ? '' : ` after ${details.attempts} attempts`;
  return `MercadoLibre API${status}${attempts} (${where}): ${problem}${advice(details.status)}`;
}

function advice(status: number | undefined): string {
  if (status === 401) return '. The access token is invalid or expired: renew MERCADOLIBRE_ACCESS_TOKEN.';
  if (status === 403) {
    return (
      '. Since April 2025 the public search endpoint answers 403 to anonymous callers and to ordinary OAuth tokens; ' +
      'a live run needs MERCADOLIBRE_ACCESS_TOKEN of an application that still has access, or MERCADOLIBRE_API_URL ' +
      'pointing at a compatible proxy or archive, or MERCADOLIBRE_SOURCE=sample for recorded responses.'
    );
  }
  if (status === 429) return '. Lower MERCADOLIBRE_CONCURRENCY or try again later.';
  return '';
}
