/**
 * The warehouse opened for writing for one evaluation of the schedules, with the asset store and the
 * tick history on it; closing it lets other processes have the file until the next tick.
 */
import type { WarehouseSession } from '../core/runtime/tick-store.ts';
import type { AssetKinds } from './asset-kinds.ts';
import { DuckdbAssetStore } from './duckdb-asset-store.ts';
import { DuckdbTickStore } from './duckdb-tick-store.ts';
import { Warehouse, type WarehouseOptions } from './warehouse.ts';

export async function openWarehouseSession(options: Omit<WarehouseOptions, 'access'>, kinds: AssetKinds): Promise<WarehouseSession> {
  const warehouse = await Warehouse.open({ ...options, access: 'read_write' });
  return { ...(await sessionOn(warehouse, kinds)), close: () => warehouse.close() };
}

/** The asset store and the tick history on a warehouse open for writing; closes it if they cannot be made. */
export async function sessionOn(warehouse: Warehouse, kinds: AssetKinds): Promise<Omit<WarehouseSession, 'close'>> {
  try {
    const store = await DuckdbAssetStore.open(warehouse, kinds);
    const ticks = new DuckdbTickStore(await warehouse.connect());
    return { store, ticks };
  } catch (error) {
    warehouse.close();
    throw error;
  }
}
