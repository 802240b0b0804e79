/** Scenario 4: how long the CLI takes to start: `duckdag --help`, and `duckdag list` on the pipeline. */
import { duckdagBin, repoRoot, type BenchContext, type BenchRow } from './bench-context.ts';
import { limitRow } from './limit-row.ts';
import { timeProcess } from './time-process.ts';

export async function cliStart(context: BenchContext): Promise<BenchRow[]> {
  const bare: number[] = [];
  const help: number[] = [];
  const list: number[] = [];
  for (let run = 0; run < context.runs + 1; run += 1) {
    const results = [
      await timeProcess(process.execPath, ['-e', '']),
      await timeProcess(process.execPath, [duckdagBin, '--help'], { cwd: repoRoot }),
      await timeProcess(process.execPath, [duckdagBin, 'list'], { cwd: repoRoot }),
    ];
    if (run === 0) continue;
    bare.push(results[0]!.wallMs);
    help.push(results[1]!.wallMs);
    list.push(results[2]!.wallMs);
  }
  const row = (name: string, times: number[], maxRatio: number): BenchRow =>
    limitRow({ scenario: 'CLI start', case: name, times, baseline: 'node -e "" (bare Node start)', baselineTimes: bare, maxRatio });
  return [row('duckdag --help', help, 2.5), row('duckdag list (pipeline)', list, 4.5)];
}
