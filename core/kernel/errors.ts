/**
 * Every error duckdag raises on purpose. Each has a stable `code` and tells the CLI which exit code
 * it maps to; anything else that escapes is a failure of user code or a bug in duckdag.
 *
 * `instanceof` works across two copies of this module (a project bundling its own duckdag, a
 * compiled and a source copy): each class answers by a marker registered under a global symbol,
 * not by prototype identity.
 */

/** Gives `cls` an `instanceof` that recognises any instance carrying its global marker. */
function markedClass(cls: abstract new (...args: never[]) => Error, name: string): void {
  const marker = Symbol.for(`duckdag.error.${name}`);
  Object.defineProperty(cls.prototype, marker, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value: (instance: unknown) => typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[marker] === true,
  });
}

/** The base of duckdag's errors. Not meant to be subclassed outside duckdag. */
export class DuckdagError extends Error {
  override readonly name: string = 'DuckdagError';
  /** Stable, e.g. `DUCKDAG_ASSET_CYCLE`; safe to match on. */
  readonly code: string;
  /** The process exit code this error maps to when it ends a command. */
  readonly exitCode: number;

  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options?.exitCode ?? 2;
  }
}
markedClass(DuckdagError, 'DuckdagError');

/** The asset definitions are invalid: a bad name, a duplicate, an unknown dependency, a cycle. */
export class DefinitionError extends DuckdagError {
  override readonly name = 'DefinitionError';
}
markedClass(DefinitionError, 'DefinitionError');

/** A selection expression names nothing or cannot be parsed. */
export class SelectionError extends DuckdagError {
  override readonly name = 'SelectionError';
}
markedClass(SelectionError, 'SelectionError');

/** The configuration, a command-line option or an environment variable has a bad value. */
export class ConfigError extends DuckdagError {
  override readonly name = 'ConfigError';
}
markedClass(ConfigError, 'ConfigError');

/** A run cannot be planned: an upstream it must read is neither selected nor in the warehouse. */
export class PlanError extends DuckdagError {
  override readonly name = 'PlanError';
}
markedClass(PlanError, 'PlanError');

/** The warehouse file is held by another process for longer than we were willing to wait. */
export class WarehouseBusyError extends DuckdagError {
  override readonly name = 'WarehouseBusyError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('DUCKDAG_WAREHOUSE_BUSY', message, { ...options, exitCode: 3 });
  }
}
markedClass(WarehouseBusyError, 'WarehouseBusyError');

/** The warehouse cannot serve what was asked: a bad query, a table an asset did not write as it must. */
export class WarehouseError extends DuckdagError {
  override readonly name = 'WarehouseError';

  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(code, message, { exitCode: 1, ...options });
  }
}
markedClass(WarehouseError, 'WarehouseError');

/** Code of an asset threw; the original error is kept as `cause`. */
export class UserCodeError extends DuckdagError {
  override readonly name = 'UserCodeError';
  readonly asset: string;

  constructor(asset: string, cause: unknown) {
    super('DUCKDAG_USER_CODE_ERROR', `asset ${asset}: ${describeError(cause)}`, { cause, exitCode: 1 });
    this.asset = asset;
  }
}
markedClass(UserCodeError, 'UserCodeError');

/**
 * Thrown by an asset's code to fail with a message of its own. With `retryable: false` the asset's
 * remaining retries are skipped: the failure is known not to pass by itself (a refused recipient).
 */
export class AssetFailure extends DuckdagError {
  override readonly name: string = 'AssetFailure';
  readonly retryable: boolean;

  constructor(message: string, options?: { retryable?: boolean; cause?: unknown; code?: string }) {
    super(options?.code ?? 'DUCKDAG_ASSET_FAILURE', message, { cause: options?.cause, exitCode: 1 });
    this.retryable = options?.retryable ?? true;
  }
}
markedClass(AssetFailure, 'AssetFailure');

/** The run was cancelled (Ctrl-C, SIGTERM, or its signal aborted): not a failure of the asset. */
export class CancelledError extends DuckdagError {
  override readonly name = 'CancelledError';

  constructor(message = 'the run was cancelled', options?: { cause?: unknown }) {
    super('DUCKDAG_CANCELLED', message, { ...options, exitCode: 130 });
  }
}
markedClass(CancelledError, 'CancelledError');

/** Whether an error, or one of its causes, is an `AssetFailure` that must not be retried. */
export function isFinalFailure(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof AssetFailure && !current.retryable) return true;
  }
  return false;
}

/** The message of anything thrown, without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
