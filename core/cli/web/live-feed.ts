/**
 * The web UI's live feed as pages receive it, kept by the front process of `duckdag serve` across
 * its workers: the events their runs publish (`LiveEvents`), numbered, streamed as server-sent
 * events to every page connected to `/events`. A page that connects is first sent the statuses seen
 * since serve started, numbered as the latest event, so it misses nothing between its load and its
 * connection.
 */
import type { ServerResponse } from 'node:http';
import type { LiveEvent, LiveStatus } from './live-events.ts';

/** Statuses kept for pages that connect later; the oldest go first. */
const keptStatuses = 10_000;
const heartbeatMs = 25_000;

export class LiveFeed {
  readonly #clients = new Set<ServerResponse>();
  readonly #statuses = new Map<string, readonly [string, LiveStatus]>();
  #heartbeat: NodeJS.Timeout | null = null;
  /** How many events have been sent: each event's id, so a page knows what happened after it was made. */
  #version = 0;

  /** The number of the latest event; a page made now follows the events numbered after it. */
  get version(): number {
    return this.#version;
  }

  /** Numbers `event`, keeps its statuses, and sends it to every page connected. */
  publish(event: LiveEvent): void {
    if (event.name === 'statuses') {
      for (const entry of event.data) {
        const key = `${entry[0]}@${entry[1].partitionKey ?? ''}`;
        this.#statuses.delete(key);
        this.#statuses.set(key, entry);
        if (this.#statuses.size > keptStatuses) this.#statuses.delete(this.#statuses.keys().next().value!);
      }
    }
    this.#version += 1;
    this.#write(message(event.name, event.data, this.#version));
  }

  /** Streams the events to `response` until the page goes away. */
  connect(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write('retry: 2000\n\n');
    response.write(message('statuses', [...this.#statuses.values()], this.#version));
    this.#clients.add(response);
    response.on('close', () => {
      this.#clients.delete(response);
      if (this.#clients.size === 0 && this.#heartbeat !== null) {
        clearInterval(this.#heartbeat);
        this.#heartbeat = null;
      }
    });
    // A comment now and then keeps proxies from closing a quiet stream.
    this.#heartbeat ??= setInterval(() => this.#write(': still here\n\n'), heartbeatMs).unref();
  }

  /** Ends every stream, so the server can close. */
  close(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #write(text: string): void {
    for (const client of this.#clients) client.write(text);
  }
}

function message(name: string, data: unknown, id: number): string {
  return `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
