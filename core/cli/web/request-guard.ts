/**
 * What every request to the web UI must pass, because a local web server is reachable from every
 * page the user's browser opens: its `Host` must be the address the server is bound to (no DNS
 * rebinding), a request that changes something must not come from another origin (no CSRF), and
 * when the server listens beyond loopback, it must carry the token (`?token=` once, which sets a
 * cookie, or `Authorization: Bearer`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GuardOptions {
  /** The host names the server answers to, with their port: `127.0.0.1:3000`, `localhost:3000`. */
  readonly hosts: readonly string[];
  /** Required on every request when set. */
  readonly token: string | null;
}

export type GuardVerdict =
  | { readonly ok: true; readonly setCookie: string | null }
  | { readonly ok: false; readonly status: 401 | 403 | 421; readonly reason: string };

const tokenCookie = 'duckdag_token';

const safeMethods: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export function guardRequest(request: IncomingMessage, url: URL, options: GuardOptions): GuardVerdict {
  const host = (request.headers.host ?? '').toLowerCase();
  if (!options.hosts.includes(host)) {
    return { ok: false, status: 421, reason: `this server answers to ${options.hosts.join(' or ')}, not to host "${host}"` };
  }
  if (!safeMethods.has(request.method ?? 'GET')) {
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    const sameOrigin = origin === undefined ? fetchSite !== 'cross-site' && fetchSite !== 'same-site' : options.hosts.some((one) => origin === `http://${one}`);
    if (!sameOrigin) return { ok: false, status: 403, reason: `a request from another origin (${origin ?? fetchSite}) may not change anything here` };
  }
  if (options.token === null) return { ok: true, setCookie: null };
  const offered = [url.searchParams.get('token'), bearer(request.headers.authorization), cookie(request.headers.cookie, tokenCookie)];
  const valid = offered.find((one) => one !== null && sameSecret(one, options.token!));
  if (valid === undefined) return { ok: false, status: 401, reason: 'this server needs its token: open the address that duckdag serve printed, with ?token=' };
  const fromQuery = url.searchParams.get('token') !== null;
  return { ok: true, setCookie: fromQuery ? `${tokenCookie}=${encodeURIComponent(valid!)}; HttpOnly; SameSite=Strict; Path=/` : null };
}

function sameSecret(offered: string, token: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}
