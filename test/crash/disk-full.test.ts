/**
 * A full disk, on a real one: a 20 MB tmpfs mounted for the test (so it needs root, as
 * `npm run test:crash` has in CI). A run that fails for want of space can leave DuckDB's
 * write-ahead log holding megabytes; once space is back, the very next run must succeed.
 *
 * How much room is left is sized from what the failing run writes, measured on a copy of the
 * warehouse, so the test does not depend on how wide the pipeline's rows are.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import config from '../../pipeline.config.ts';
import { attachStatement, instanceOptions, useStatement } from '../../storage/warehouse-attachment.ts';
import { generateSample } from '../../data/sample-generator.ts';
import { duckdagBin, repoRoot } from '../support/fixture-project.ts';
import { tempDir } from '../support/temp-dir.ts';

interface Run {
  readonly code: number | null;
  readonly output: string;
}

function duckdag(warehouse: string, args: readonly string[], env: NodeJS.ProcessEnv, outbox: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [duckdagBin, '--warehouse', warehouse, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ALERT_OUTBOX_DIR: outbox, ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Fills the filesystem of `dir` until `leftBytes` remain. */
function fillUntil(dir: string, leftBytes: number): string {
  const { bavail, bsize } = statfsSync(dir);
  const filler = join(dir, 'filler');
  writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - leftBytes)));
  return filler;
}

function usedBytes(dir: string): number {
  const { blocks, bfree, bsize } = statfsSync(dir);
  return (blocks - bfree) * bsize;
}

/** Resizes the tmpfs mounted at `dir`. */
function growTo(dir: string, bytes: number): void {
  execFileSync('mount', ['-o', `remount,size=${Math.ceil(bytes / 1024)}k`, dir]);
}

/**
 * The bytes of write-ahead log that committing a copy of one partition's rows writes: what a run
 * replacing that partition commits first, its backup (`storage/partition-backup.ts`). Measured on
 * a copy of the warehouse in `scratch`, attached as duckdag attaches it.
 */
async function backupLogBytes(warehouse: string, scratch: string, table: string, day: string): Promise<number> {
  const copy = join(scratch, 'measured.duckdb');
  copyFileSync(warehouse, copy);
  const settings = config.duckdb ?? {};
  const instance = await DuckDBInstance.create(':memory:', instanceOptions(copy, settings));
  const connection = await instance.connect();
  try {
    await connection.run(`${attachStatement(copy, 'read_write', settings).text}; ${useStatement.text}`);
    await connection.run(`CREATE TABLE measured AS SELECT * FROM ${table} WHERE snapshot_date = DATE '${day}'`);
    return statSync(`${copy}.wal`).size;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

test('after a run fails on a full disk, the first run once space is back succeeds', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('mounting a size-limited tmpfs needs root');
    return;
  }
  const dir = tempDir(t, 'duckdag-disk-full-');
  const disk = mkdtempSync(join(tmpdir(), 'duckdag-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', disk]);
  t.after(() => {
    execFileSync('umount', [disk]);
    rmdirSync(disk);
  });
  const outbox = join(dir, 'outbox');
  const warehouse = join(disk, 'warehouse.duckdb');
  const bigSample = join(dir, 'big-sample');
  const day = generateSample({ dir: bigSample, listings: 10_000, seed: 1 });

  const first = await duckdag(warehouse, ['materialize', '-p', '2026-11-20', '--select', 'raw_listings'], {}, outbox);
  assert.equal(first.code, 0, first.output);
  // Room for the backup of 2026-11-20 that the forced run commits first, and little more: its new
  // rows do not fit, and neither does folding the log into the file when it closes.
  const filler = fillUntil(disk, (await backupLogBytes(warehouse, dir, 'raw_listings', '2026-11-20')) + 256 * 1024);
  const full = await duckdag(warehouse, ['materialize', '-p', '2026-11-20', '--select', 'raw_listings', '--force'], { MERCADOLIBRE_SAMPLE_DIR: bigSample }, outbox);
  assert.equal(full.code, 1, full.output);
  assert.match(full.output, /No space left on device/);
  assert.ok(existsSync(`${warehouse}.wal`) && statSync(`${warehouse}.wal`).size > 1024 * 1024, 'the failed run left a write-ahead log of megabytes');

  // Space back: the filler gone, and room for the day's responses twice over (their rows in the log,
  // then in the file), on top of the log the failed run left.
  rmSync(filler);
  growTo(disk, usedBytes(disk) + 2 * day.bytes);
  const next = await duckdag(warehouse, ['materialize', '-p', '2026-11-22', '--select', 'raw_listings'], { MERCADOLIBRE_SAMPLE_DIR: bigSample }, outbox);
  assert.equal(next.code, 0, next.output);
  const rows = await duckdag(warehouse, ['query', "SELECT snapshot_date::VARCHAR AS day, count(*) AS n FROM raw_listings GROUP BY ALL ORDER BY ALL", '--json'], {}, outbox);
  assert.deepEqual(JSON.parse(rows.output), [
    { day: '2026-11-20', n: 1550 },
    { day: '2026-11-22', n: 10_000 },
  ]);
});
