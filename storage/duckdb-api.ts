/**
 * `@duckdb/node-api`, loaded with `require`. The package is CommonJS re-exporting some forty files;
 * imported from an ES module, Node first scans every one of them for export names, which costs
 * ~0.1 s at every command's start (measured: `import()` 0.30 s, `require` 0.20 s, bare Node 0.10 s).
 */
import { createRequire } from 'node:module';

export const duckdbApi = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
