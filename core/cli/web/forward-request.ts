/**
 * How the front process of `duckdag serve` passes a request of the web UI on to a worker, over the
 * worker's Unix socket, and streams the answer back: the body both ways, the headers as they are,
 * plus the live feed's number now (`liveVersionHeader`), which the page is made at.
 */
import { request as httpRequest, type Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendText } from './send-text.ts';

/** The live feed's number when the front passed the request on; set by the front only. */
export const liveVersionHeader = 'x-duckdag-live-version';

export interface WorkerAddress {
  readonly socket: string;
  /** Keeps connections to this worker open between requests. */
  readonly agent: Agent;
}

/** Resolves once the answer has been sent, or the request failed (answered 502 when nothing was sent yet). */
export function forwardRequest(request: IncomingMessage, response: ServerResponse, worker: WorkerAddress, liveVersion: number): Promise<void> {
  return new Promise((resolve) => {
    const headers = { ...request.headers, [liveVersionHeader]: String(liveVersion) };
    const upstream = httpRequest({ socketPath: worker.socket, agent: worker.agent, method: request.method, path: request.url, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      answer.once('error', () => response.destroy());
    });
    upstream.once('error', (error) => {
      if (!response.headersSent) {
        sendText(response, 502, `the worker of duckdag serve did not answer: ${error.message}\n`);
      } else {
        response.destroy();
      }
    });
    // The page went away: the worker stops writing it.
    response.once('close', () => {
      if (!response.writableFinished) upstream.destroy();
      resolve();
    });
    request.pipe(upstream);
  });
}
