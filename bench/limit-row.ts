/**
 * A result row for a case timed against a same-run baseline and an upper limit on its median: a
 * time, or a ratio to the baseline (for start-up times, which follow the machine's speed).
 */
import type { BenchRow } from './bench-context.ts';
import { median, ratio } from './stats.ts';

export interface LimitRowSpec {
  readonly scenario: string;
  readonly case: string;
  readonly times: readonly number[];
  readonly baseline: string;
  readonly baselineTimes: readonly number[];
  /** The median must stay under this, in milliseconds… */
  readonly limitMs?: number;
  /** …or at most this many times the baseline's median. */
  readonly maxRatio?: number;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export function limitRow(spec: LimitRowSpec): BenchRow {
  const medianMs = median(spec.times);
  const baselineMs = median(spec.baselineTimes);
  return {
    scenario: spec.scenario,
    case: spec.case,
    medianMs,
    baseline: spec.baseline,
    baselineMs,
    ratio: ratio(medianMs, baselineMs),
    target: spec.maxRatio === undefined ? `< ${(spec.limitMs ?? 0) / 1000} s` : `≤ ${spec.maxRatio}× baseline`,
    met: spec.maxRatio === undefined ? medianMs < (spec.limitMs ?? 0) : medianMs <= spec.maxRatio * baselineMs,
    ...(spec.extra === undefined ? {} : { extra: spec.extra }),
  };
}
