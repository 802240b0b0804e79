/**
 * Times a whole process, wall clock from spawn to exit, with its peak resident memory from GNU
 * time (`/usr/bin/time -f %M`), so duckdag and its baselines are measured the same way.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessTiming {
  readonly wallMs: number;
  readonly maxRssMb: number;
  readonly stdout: string;
}

export async function timeProcess(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'duckdag-bench-time-'));
  const report = join(dir, 'time');
  try {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', report, command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
    const maxRssKb = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1));
    return { wallMs, maxRssMb: Math.round(maxRssKb / 1024), stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
