/**
 * The benchmarks' HTTP client: `node:http` over one keep-alive agent. The load generator runs on
 * the same 2 cores as the server it measures, so its own cost is taken from the server: `fetch`
 * (undici, an `AbortSignal` and a web stream per request) cost about 1.3 ms of CPU a request, which
 * at a few hundred requests a second is a third of a core the server no longer has.
 */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * Sends one request and reads the whole answer. Rejects with an `Error` named `TimeoutError` after
 * `timeoutMilliseconds`, or with the socket's error (its message names the cause, e.g. ECONNRESET).
 */
export function sendRequest(
  url: string,
  init: { method: string; body?: string; timeoutMilliseconds: number },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(init.body);
    }
    const outgoing = request(url, { method: init.method, agent, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        clearTimeout(timer);
        resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      incoming.on('error', fail);
    });
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${init.timeoutMilliseconds} ms`);
      error.name = 'TimeoutError';
      outgoing.destroy(error);
    }, init.timeoutMilliseconds);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    outgoing.on('error', fail);
    outgoing.end(init.body);
  });
}
