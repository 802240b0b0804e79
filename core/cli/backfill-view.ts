/**
 * What a backfill shows across its partitions: before each, its place (done/total) and the time
 * left, estimated from the partitions done so far; a partition refused before its run started; and
 * a closing line. Each partition's run is shown by the usual progress view.
 */
import type { BackfillEvent, BackfillResult } from '../runtime/backfill.ts';
import { formatMs } from './format-ms.ts';

export class BackfillProgress {
  readonly #total: number;
  #done = 0;
  #spentMs = 0;

  constructor(total: number) {
    this.#total = total;
  }

  /** Leads the live line of each run: "partition 3/5 · ETA 4.1 s · ". */
  context(): string {
    return `partition ${Math.min(this.#done + 1, this.#total)}/${this.#total}${this.#eta()} · `;
  }

  /** The line an event prints, if any. */
  line(event: BackfillEvent): string | null {
    if (event.type === 'partition_started') {
      return `partition ${event.partitionKey} (${event.index + 1}/${event.total}, ${this.#done} done${this.#eta()})`;
    }
    this.#done += 1;
    this.#spentMs += event.durationMs;
    const { outcome } = event;
    return outcome.runId === null ? `✗ partition ${outcome.partitionKey} not run: ${outcome.error}` : null;
  }

  #eta(): string {
    if (this.#done === 0) return '';
    return ` · ETA ${formatMs(Math.round((this.#spentMs / this.#done) * (this.#total - this.#done)))}`;
  }
}

/** The closing line of a backfill. */
export function describeBackfill(result: BackfillResult): string {
  const count = (status: string) => result.partitions.filter((partition) => partition.status === status).length;
  const parts = [`${count('succeeded')} succeeded`, `${count('failed')} failed`];
  if (count('cancelled') > 0) parts.push(`${count('cancelled')} cancelled`);
  if (count('not_run') > 0) parts.push(`${count('not_run')} not run`);
  return `backfill ${result.status}: ${result.partitions.length} partitions, ${parts.join(', ')} in ${formatMs(result.durationMs)}`;
}
