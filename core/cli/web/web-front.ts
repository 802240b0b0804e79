/**
 * The web UI of `duckdag serve` as the network sees it, in the front process, which loads neither
 * the config nor DuckDB: it listens (127.0.0.1 by default), checks every request (Host, Origin,
 * token: `request-guard.ts`), serves the package's static files and the live feed (`/events`), and
 * passes every other request on to a worker, which renders it (`web-server.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { ConfigError, describeError } from '../../kernel/errors.ts';
import type { LiveFeed } from './live-feed.ts';
import { guardRequest, type GuardOptions } from './request-guard.ts';
import { sendText } from './send-text.ts';
import { staticFile } from './web-static.ts';

export interface WebFrontOptions {
  readonly host: string;
  /** `null`: 3000, or the next free port after it. */
  readonly port: number | null;
  /** Required on every request when set. */
  readonly token: string | null;
  readonly feed: LiveFeed;
  /** Answers a request that passed the guard and is neither a static file nor the feed (through a worker). */
  readonly forward: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

export interface WebFront {
  /** The address to open, without the token. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const defaultPort = 3000;
const portsTried = 20;

export async function startWebFront(options: WebFrontOptions): Promise<WebFront> {
  let guard: GuardOptions = { hosts: [], token: options.token };
  const server = createServer((request, response) => {
    void handle(options, guard, request, response);
  });
  const port = await listen(server, options.host, options.port);
  guard = { hosts: allowedHosts(options.host, port), token: options.token };
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        options.feed.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Listens on `port`, or on 3000 or the next free port when none was asked for. */
async function listen(server: Server, host: string, port: number | null): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    const tried = port ?? defaultPort + attempt;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(tried, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : tried;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && port === null && attempt < portsTried - 1) continue;
      const detail = code === 'EADDRINUSE' ? `port ${tried} is in use${port === null ? ` (and the ${portsTried - 1} after 3000)` : ''}; pass another --port` : describeError(error);
      throw new ConfigError('DUCKDAG_OPTION_INVALID', `cannot serve the web UI on ${host}:${tried}: ${detail}`, { cause: error });
    }
  }
}

/** The `Host` headers the server answers to: the bound address (and `localhost` on loopback; every interface's address when bound to all). */
function allowedHosts(host: string, port: number): string[] {
  const withPort = (name: string) => `${name.includes(':') ? `[${name}]` : name}:${port}`.toLowerCase();
  if (host === '0.0.0.0' || host === '::') {
    const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((one) => one.address));
    return [...new Set([...addresses, hostname(), 'localhost'])].map(withPort);
  }
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  return [...new Set([host, ...(loopback ? ['localhost', '127.0.0.1'] : [])])].map(withPort);
}

async function handle(options: WebFrontOptions, guard: GuardOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://duckdag.invalid');
  const verdict = guardRequest(request, url, guard);
  if (!verdict.ok) {
    sendText(response, verdict.status, `${verdict.reason}\n`);
    return;
  }
  if (verdict.setCookie !== null) {
    // The token moves from the address into a cookie, and out of the address bar and history.
    url.searchParams.delete('token');
    response.writeHead(303, { 'set-cookie': verdict.setCookie, location: `${url.pathname}${url.search}`, 'cache-control': 'no-store' });
    response.end();
    return;
  }
  const path = url.pathname;
  const reading = request.method === 'GET' || request.method === 'HEAD';
  if (path === '/events' || path.startsWith('/static/')) {
    if (!reading) {
      sendText(response, 405, `${path} answers GET only\n`);
      return;
    }
    if (path === '/events') {
      options.feed.connect(response);
      return;
    }
    const file = staticFile(path.slice('/static/'.length));
    if (file === null) {
      sendText(response, 404, `no file ${path}\n`);
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    response.end(file.body);
    return;
  }
  await options.forward(request, response);
}
