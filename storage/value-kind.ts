/**
 * The `value` kind: the asset's code returns one JSON value, stored per partition in
 * `duckdag.asset_values`. Downstream assets get the value itself; `null`, `''`, `[]` and `{}` are
 * empty.
 */
import type { ValueAssetContext, ValueAssetDefinition } from '../core/kernel/asset-definition.ts';
import { WarehouseError } from '../core/kernel/errors.ts';
import { sql } from '../core/kernel/sql.ts';
import { isEmptyValue } from '../core/kernel/value-asset.ts';
import { defineAssetKind } from './asset-kind.ts';
import { runUserCode } from './run-user-code.ts';
import { readValue } from './value-store.ts';

export const valueKind = defineAssetKind<ValueAssetDefinition<unknown, any>>({
  name: 'value',
  shape: 'document',
  async stage(asset, { spec, transaction, context, metadata }) {
    const valueContext: ValueAssetContext<unknown, any> = {
      ...context,
      previousValue: async () => {
        const stored = await readValue(transaction, asset.name, spec.partitionKey);
        return stored.found ? stored.value : null;
      },
    };
    const value = await runUserCode(asset.name, () => asset.materialize(spec.inputs, valueContext));
    let serialized: string;
    try {
      serialized = JSON.stringify(value) ?? 'null';
    } catch (error) {
      throw new WarehouseError('DUCKDAG_VALUE_NOT_JSON', `asset ${asset.name} returned a value that is not JSON-serialisable: ${String(error)}`, {
        cause: error,
      });
    }
    return {
      outcome: {
        rowCount: null,
        empty: isEmptyValue(value),
        // A copy, as stored: what downstream assets receive.
        input: JSON.parse(serialized) as unknown,
        metadata: { ...metadata(), value_bytes: Buffer.byteLength(serialized) },
      },
      statements: sql``,
      value: { asset: asset.name, partitionKey: spec.partitionKey, valueJson: serialized, runId: spec.runId },
    };
  },
  async load(asset, partitionKey, reader) {
    const stored = await readValue(reader, asset.name, partitionKey);
    const input = stored.found ? stored.value : null;
    return { input, empty: isEmptyValue(input) };
  },
});
