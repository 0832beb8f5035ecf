/**
 * The shared part of the vendor fakes (Jira, Xray Cloud, TestRail): a real `node:http` server on
 * 127.0.0.1 (port 0), JSON bodies, and injected faults — the next N requests matching a pattern
 * answered with a status, a `Retry-After` and a body in the vendor's own error shape.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from './request-body.ts';

export interface VendorRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The raw query string without `?` (TestRail routes live in it). */
  search: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface VendorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the body as it is (text), not as JSON. */
  text?: boolean;
}

export interface InjectedFault {
  /** Matched against `METHOD path?search`, e.g. /POST .*add_case/. */
  match: RegExp;
  /** How many matching requests to answer with the fault. */
  count: number;
  response: VendorResponse;
}

export interface FakeVendorServer {
  url: string;
  /** Every request received, in order. */
  readonly requests: VendorRequest[];
  /** The next `count` requests matching `match` get `response` instead of being handled. */
  injectFault(fault: InjectedFault): void;
  close(): Promise<void>;
}

export async function startFakeVendorServer(
  handle: (request: VendorRequest) => VendorResponse | Promise<VendorResponse>,
): Promise<FakeVendorServer> {
  const requests: VendorRequest[] = [];
  const faults: InjectedFault[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((incoming, outgoing) => {
    void respond(incoming, outgoing);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function respond(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const text = await readBody(incoming);
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const request: VendorRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      search: url.search.replace(/^\?/, ''),
      query: url.searchParams,
      headers: incoming.headers,
      body,
    };
    requests.push(request);
    let response: VendorResponse;
    const signature = `${request.method} ${request.path}?${request.search}`;
    const fault = faults.find((candidate) => candidate.count > 0 && candidate.match.test(signature));
    if (fault) {
      fault.count -= 1;
      response = fault.response;
    } else {
      try {
        response = await handle(request);
      } catch (error) {
        response = { status: 500, body: { error: String((error as Error).message) } };
      }
    }
    const payload =
      response.body === undefined
        ? ''
        : response.text
          ? String(response.body)
          : JSON.stringify(response.body);
    outgoing.writeHead(response.status, {
      'Content-Type': response.text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      ...response.headers,
    });
    outgoing.end(payload);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    injectFault: (fault) => faults.push({ ...fault }),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The `user:secret` of a Basic `Authorization` header, or undefined. */
export function basicCredentials(request: VendorRequest): { user: string; secret: string } | undefined {
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The token of a Bearer `Authorization` header, or undefined. */
export function bearerToken(request: VendorRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}
