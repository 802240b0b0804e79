import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/fixture-project.ts';

/** The framework's layers, lowest first: a file may import its own layer and those below it. */
const layers: readonly (readonly [string, number])[] = [
  ['core/kernel/', 0],
  ['core/runtime/', 1],
  ['storage/', 2],
  ['core/analysis/', 3],
  ['core/project/', 4],
  ['core/cli/', 5],
  ['core/index.ts', 6],
  ['core/testing.ts', 6],
  ['core/bin/', 7],
];

function layerOf(file: string): number | undefined {
  return layers.find(([prefix]) => file.startsWith(prefix))?.[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(ts|js)$/.test(path))
    .map((path) => join(dir, path));
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return [...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|^import\s+'([^']+)'/gm)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
}

const framework = [...sourceFiles('core'), ...sourceFiles('storage')];
const project = [...sourceFiles('assets'), 'pipeline.config.ts'];

test('no framework file imports a layer above its own', () => {
  const upward = framework.flatMap((file) =>
    importsOf(file)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(repoRoot, resolve(repoRoot, dirname(file), specifier)))
      .filter((target) => (layerOf(target) ?? -1) > layerOf(file)!)
      .map((target) => `${file} → ${target}`),
  );
  assert.deepEqual(upward, []);
});

test('only storage/ imports DuckDB', () => {
  const importers = [...framework, ...project].filter((file) => importsOf(file).some((specifier) => specifier.startsWith('@duckdb/')));
  assert.ok(importers.length > 0);
  assert.deepEqual(importers.filter((file) => !file.startsWith('storage/')), []);
});

test('only static analysis imports ts-morph', () => {
  const importers = [...framework, ...project].filter((file) => importsOf(file).includes('ts-morph'));
  assert.ok(importers.length > 0);
  assert.deepEqual(importers.filter((file) => !file.startsWith('core/analysis/')), []);
});

test('the framework never imports the pipeline', () => {
  const reaching = framework.filter((file) =>
    importsOf(file).some((specifier) => specifier.startsWith('.') && relative(repoRoot, resolve(repoRoot, dirname(file), specifier)).startsWith('assets/')),
  );
  assert.deepEqual(reaching, []);
});

test('the pipeline and its config reach duckdag only through its public entry point', () => {
  const inside = project.flatMap((file) =>
    importsOf(file)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(repoRoot, resolve(repoRoot, dirname(file), specifier)))
      .filter((target) => layerOf(target) !== undefined)
      .map((target) => `${file} → ${target}`),
  );
  assert.deepEqual(inside, []);
  assert.ok(project.some((file) => importsOf(file).includes('duckdag')));
});
