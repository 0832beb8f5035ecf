import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVendorServer, type FakeVendorServer } from '../../test/support/fake-vendor-server.ts';
import { ConnectorError } from './errors.ts';
import { createConnectorHttpClient, type ConnectorHttpOptions } from './http.ts';

const SECRET = 'vendor-secret-0123456789';
let server: FakeVendorServer;
beforeAll(async () => {
  server = await startFakeVendorServer((request) =>
    request.path === '/echo-secret'
      ? { status: 400, body: { error: `bad token ${SECRET}` } }
      : { status: 200, body: { ok: true, path: request.path } },
  );
});
afterAll(async () => server.close());

function client(overrides: Partial<ConnectorHttpOptions> = {}) {
  const sleeps: number[] = [];
  const http = createConnectorHttpClient({
    vendor: 'Vendor',
    baseUrl: server.url,
    authorization: () => `Bearer ${SECRET}`,
    secrets: [SECRET],
    credentialHint: 'the token',
    vendorMessage: (body) => String((body as { error?: unknown })?.error ?? ''),
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
    now: () => Date.parse('2026-12-01T00:00:00Z'),
    ...overrides,
  });
  return { http, sleeps };
}

describe('connector HTTP client', () => {
  it('waits Retry-After seconds, or until X-RateLimit-Reset, before retrying a 429', async () => {
    server.injectFault({
      match: /\/limited/,
      count: 1,
      response: { status: 429, headers: { 'Retry-After': '4' } },
    });
    server.injectFault({
      match: /\/limited/,
      count: 1,
      response: { status: 429, headers: { 'X-RateLimit-Reset': '2026-12-01T00:00:09Z' } },
    });
    const { http, sleeps } = client();
    expect((await http.request<{ ok: boolean }>({ path: '/limited' })).body.ok).toBe(true);
    expect(sleeps).toEqual([4000, 9000]);
    expect(http.requestCount).toBe(3);
  });

  it('retries a GET after a connection fault but never a create, which may have been made', async () => {
    let failures = 2;
    const flaky: typeof fetch = async (input, init) => {
      if (failures-- > 0) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    expect((await client({ fetch: flaky }).http.request({ path: '/read' })).status).toBe(200);
    failures = 1;
    const error = await client({ fetch: flaky })
      .http.request({ method: 'POST', path: '/create', body: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe('unreachable');
  });

  it("maps a refusal to a named error with the vendor's message, secrets redacted", async () => {
    const error = await client()
      .http.request({ path: '/echo-secret' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('connector_request');
    expect((error as ConnectorError).message).toContain('bad token');
    expect((error as ConnectorError).message).not.toContain(SECRET);
  });

  it('paces requests evenly to the rate asked for', async () => {
    let time = 0;
    const { http, sleeps } = client({
      requestsPerMinute: 120,
      now: () => time,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
        time += milliseconds;
      },
    });
    for (let index = 0; index < 5; index += 1) await http.request({ path: '/paced' });
    expect(sleeps).toEqual([501, 501, 501, 501]);
  });
});
