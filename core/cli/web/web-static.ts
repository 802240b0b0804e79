/** The files the web UI serves from `/static/`: part of the package, read once, never from elsewhere. */
import { readFileSync } from 'node:fs';

const types = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' } as const;
const files = ['web-ui.css', 'live-reload.js', 'graph-live.js', 'graph-live.css'] as const;
const cache = new Map<string, string>();

/** A static file by name, read from beside this module, or `null` when there is no such file. */
export function staticFile(name: string): { body: string; type: string } | null {
  if (!(files as readonly string[]).includes(name)) return null;
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(new URL(`./static/${name}`, import.meta.url), 'utf8');
    cache.set(name, body);
  }
  return { body, type: types[name.endsWith('.css') ? 'css' : 'js'] };
}
