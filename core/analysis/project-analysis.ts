/**
 * What static analysis learns of a project from its source: where each asset is defined, its code
 * version, the tables its SQL reads, and the findings `duckdag lint` reports. Plain data, kept in
 * the analysis cache between commands.
 */

/** A place in a source file; line and column count from 1. */
export interface SourceLocation {
  /** Absolute path. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type FindingSeverity = 'error' | 'warning';

/** One thing lint reports, compiler style. */
export interface Finding {
  readonly location: SourceLocation;
  readonly severity: FindingSeverity;
  /** DUCKDAG_UNDECLARED_DEP, DUCKDAG_UNUSED_DEP, DUCKDAG_UNKNOWN_TABLE, DUCKDAG_UNRESOLVED_SQL, … */
  readonly code: string;
  /** The asset it is about, when known. */
  readonly asset: string | null;
  readonly message: string;
}

export interface AnalyzedAsset {
  readonly name: string;
  readonly location: SourceLocation;
  /**
   * A hash of the asset's definition and every project function and constant it references,
   * transitively, with comments and formatting left out.
   */
  readonly codeVersion: string;
  /** Tables its SQL reads, as far as the SQL could be followed. */
  readonly reads: readonly string[];
}

export interface ProjectAnalysis {
  readonly assets: readonly AnalyzedAsset[];
  readonly findings: readonly Finding[];
}

/** The code version of each asset the analysis found, by name. */
export function codeVersionsOf(analysis: ProjectAnalysis): ReadonlyMap<string, string> {
  return new Map(analysis.assets.map((asset) => [asset.name, asset.codeVersion]));
}
