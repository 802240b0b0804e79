/** How the pipeline talks to the MercadoLibre API. */

export interface MercadoLibreApiOptions {
  /** `https://api.mercadolibre.com`, or a compatible proxy (a path prefix is kept). */
  readonly baseUrl: string;
  /** Site id: MLA (Argentina), MLB, MLM, … */
  readonly site: string;
  /** Sent as `Authorization: Bearer …` on every request when set. Never logged. */
  readonly accessToken?: string;
  /** Listings to fetch per category, 1–1000, in pages of at most 50. */
  readonly itemsPerCategory: number;
  /** Requests in flight at once, across all categories. */
  readonly concurrency: number;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  readonly retry: {
    /** Tries per request, the first included. */
    readonly attempts: number;
    readonly minDelayMs: number;
    readonly maxDelayMs: number;
  };
}

/** Polite defaults: users report 429s around 5–7 requests/s per application. */
export const defaultMercadoLibreApiOptions = {
  concurrency: 4,
  timeoutMs: 15_000,
  retry: { attempts: 5, minDelayMs: 500, maxDelayMs: 30_000 },
} as const satisfies Partial<MercadoLibreApiOptions>;

/** The API's page size and how deep an ordinary caller may page. */
export const searchPageSize = 50;
export const maxSearchOffset = 1000;
