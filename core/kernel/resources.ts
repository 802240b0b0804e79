/**
 * Resources, as Dagster injects them: things an asset uses but does not own (settings, an HTTP
 * client, a mail transport), provided once by the project config and handed to each asset's
 * context by key. An asset declares the keys it needs with typed tokens; a config that does not
 * provide them does not compile, and a test provides other ones without rebuilding any asset.
 */

/** A typed token for a resource an asset needs. The key is the name it is declared under. */
export interface ResourceType<T> {
  readonly description: string;
  /** Phantom: the resource's type. */
  readonly __resource?: T;
}

/**
 * Declares the type of a resource, to list in an asset's `resources`.
 * @example
 * export const mail = resource<MailTransport>('where alert emails go');
 * valueAsset({ name: 'alert', resources: { mail }, compute: (_, ctx) => ctx.resources.mail.send(…) });
 */
export function resource<T>(description = ''): ResourceType<T> {
  return { description };
}

/** The resource tokens an asset declares, by key. */
export type ResourceTypes = Readonly<Record<string, ResourceType<any>>>;

/** The resources themselves for declared tokens `R`. */
export type ResourcesOf<R extends ResourceTypes> = { readonly [K in keyof R]: R[K] extends ResourceType<infer T> ? T : never };

/** Resources provided by a config, by key. */
export type ResourceValues = Readonly<Record<string, unknown>>;
