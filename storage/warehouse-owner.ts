/**
 * Who holds the warehouse: DuckDB names the pid of the process holding the file lock; the holder
 * leaves a small note beside the file saying since when and for what, so a waiting command can say.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface WarehouseOwner {
  readonly pid: number;
  readonly since: string;
  readonly command: string;
}

/** The note's path beside the warehouse file. */
export function ownerNotePath(warehousePath: string): string {
  return `${warehousePath}.owner`;
}

export function writeOwnerNote(warehousePath: string, command: string): void {
  const owner: WarehouseOwner = { pid: process.pid, since: new Date().toISOString(), command };
  writeFileSync(ownerNotePath(warehousePath), `${JSON.stringify(owner)}\n`);
}

export function removeOwnerNote(warehousePath: string): void {
  rmSync(ownerNotePath(warehousePath), { force: true });
}

/** The pid DuckDB names in a lock conflict error, if the error is one. */
export function lockHolderPid(error: unknown): number | null {
  const match = /Conflicting lock is held in .* \(PID (\d+)\)/.exec(error instanceof Error ? error.message : '');
  return match === null ? null : Number(match[1]);
}

/** Describes the holder: "pid 123 since 2026-11-24T12:00:00.000Z (duckdag materialize)". */
export function describeOwner(warehousePath: string, pid: number): string {
  const note = readOwnerNote(warehousePath);
  if (note !== null && note.pid === pid) return `pid ${pid} since ${note.since} (${note.command})`;
  const started = processStartTime(pid);
  return `pid ${pid} since ${started ?? 'an unknown time'}`;
}

function readOwnerNote(warehousePath: string): WarehouseOwner | null {
  try {
    return JSON.parse(readFileSync(ownerNotePath(warehousePath), 'utf8')) as WarehouseOwner;
  } catch {
    return null;
  }
}

/** When a process started, from Linux's /proc; null where that is not available. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const bootLine = readFileSync('/proc/stat', 'utf8').split('\n').find((line) => line.startsWith('btime '));
    if (!Number.isFinite(startTicks) || bootLine === undefined) return null;
    const clockTicksPerSecond = 100;
    return new Date((Number(bootLine.slice(6)) + startTicks / clockTicksPerSecond) * 1000).toISOString();
  } catch {
    return null;
  }
}
