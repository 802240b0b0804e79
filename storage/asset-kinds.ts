/**
 * The kinds a command knows: the built-in `table` and `value`, and those the project registers.
 */
import type { AnyAssetsDefinition } from '../core/kernel/asset-definition.ts';
import type { AssetGraph } from '../core/kernel/asset-graph.ts';
import { DefinitionError } from '../core/kernel/errors.ts';
import type { AssetKind } from './asset-kind.ts';
import { tableKind } from './table-kind.ts';
import { valueKind } from './value-kind.ts';

export const builtInKinds: readonly AssetKind[] = [tableKind, valueKind];

export class AssetKinds {
  readonly #kinds: ReadonlyMap<string, AssetKind>;

  /** The built-in kinds and `registered`; a name registered twice is a `DefinitionError`. */
  constructor(registered: readonly AssetKind[] = []) {
    const kinds = new Map<string, AssetKind>();
    for (const kind of [...builtInKinds, ...registered]) {
      if (kinds.has(kind.name)) {
        throw new DefinitionError('DUCKDAG_KIND_DUPLICATE', `asset kind "${kind.name}" is registered twice; kind names must be unique`);
      }
      kinds.set(kind.name, kind);
    }
    this.#kinds = kinds;
  }

  /** The kind of `asset`; a kind nobody registered is a `DefinitionError`. */
  of(asset: AnyAssetsDefinition): AssetKind {
    const kind = this.#kinds.get(asset.kind);
    if (kind === undefined) {
      throw new DefinitionError(
        'DUCKDAG_KIND_UNKNOWN',
        `asset ${asset.name} is of kind "${asset.kind}", which is not registered (known: ${[...this.#kinds.keys()].join(', ')}); add it to the config's kinds`,
      );
    }
    return kind;
  }

  /** Checks every asset of the graph has a registered kind. */
  check(graph: AssetGraph): void {
    for (const name of graph.topologicalOrder) this.of(graph.get(name));
  }
}
