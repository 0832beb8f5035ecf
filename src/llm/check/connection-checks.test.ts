/** The connection checks over real HTTP: reachable, path, auth. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  afterConnection,
  allPass,
  runCheck,
  closeEndpoints,
  closedPort,
  startFakeEndpoint,
  result,
  statuses,
} from '../../../test/support/endpoint-check.ts';
import type { CheckId } from './types.ts';

afterEach(closeEndpoints);

describe('reachable', () => {
  it('a hanging endpoint fails reachable after one timeout and skips everything else', async () => {
    const endpoint = await startFakeEndpoint({}, { kind: 'hang' });
    const report = await runCheck(endpoint.url, { timeoutMilliseconds: 500 });
    expect(result(report, 'reachable')).toMatchObject({ status: 'fail' });
    expect(result(report, 'reachable').message).toContain('within 500 ms');
    for (const id of ['path', 'auth', ...afterConnection] as CheckId[]) {
      expect(result(report, id).status, id).toBe('skip');
      expect(result(report, id).message).toContain('not reachable');
    }
    // At most one request: the hang cost one timeout, not twenty. (On a busy machine the 500 ms
    // can run out before the request even reaches the fake, so none is also possible.)
    expect(endpoint.requests.length).toBeLessThanOrEqual(1);
  });

  it('a refused connection fails reachable with a fix about the server', async () => {
    const port = await closedPort();
    const report = await runCheck(`http://127.0.0.1:${port}/v1`);
    expect(result(report, 'reachable').status).toBe('fail');
    expect(result(report, 'reachable').message).toContain('ECONNREFUSED');
    expect(result(report, 'reachable').fix).toMatch(/Nothing listens/);
    expect(report.compatible).toBe(false);
  });

  it('a connection reset before any answer fails reachable', async () => {
    const endpoint = await startFakeEndpoint({}, { kind: 'reset' });
    const report = await runCheck(endpoint.url);
    expect(result(report, 'reachable').status).toBe('fail');
    expect(result(report, 'structure').status).toBe('skip');
  });
});

describe('path', () => {
  it('a base URL without /v1 on a /v1 server fails path, names the working URL and checks the rest there', async () => {
    const endpoint = await startFakeEndpoint();
    const report = await runCheck(endpoint.origin);
    expect(result(report, 'path').status).toBe('fail');
    expect(result(report, 'path').message).toContain(`the base URL should be ${endpoint.origin}/v1`);
    expect(result(report, 'path').fix).toContain(`${endpoint.origin}/v1`);
    expect(statuses(report)).toEqual({ ...allPass, path: 'fail' });
  });

  it('a base URL with /v1 on a root server fails path and names the URL without it', async () => {
    const endpoint = await startFakeEndpoint({ pathMode: 'root' });
    const report = await runCheck(`${endpoint.origin}/v1`);
    expect(result(report, 'path').status).toBe('fail');
    expect(result(report, 'path').message).toContain(`the base URL should be ${endpoint.origin}.`);
    expect(result(report, 'structure').status).toBe('pass');
  });

  it('a path that works neither way fails path and skips the rest', async () => {
    const endpoint = await startFakeEndpoint();
    const report = await runCheck(`${endpoint.origin}/api`);
    expect(result(report, 'path').status).toBe('fail');
    expect(result(report, 'path').fix).toMatch(/\/v1/);
    for (const id of ['auth', ...afterConnection] as CheckId[])
      expect(result(report, id).status, id).toBe('skip');
  });

  it('a pasted /chat/completions is removed from the base URL', async () => {
    const endpoint = await startFakeEndpoint();
    const report = await runCheck(`${endpoint.url}/chat/completions/`);
    expect(report.baseUrl).toBe(endpoint.url);
    expect(result(report, 'path').status).toBe('pass');
  });

  it('an unknown model is a 404 about the model, not the path: structure fails with a fix naming GET /models', async () => {
    const endpoint = await startFakeEndpoint({ rejectUnknownModels: true });
    const report = await runCheck(endpoint.url, { model: 'gpt-unknown' });
    expect(result(report, 'path').status).toBe('pass');
    expect(result(report, 'structure').status).toBe('fail');
    expect(result(report, 'structure').message).toContain('does not exist');
    expect(result(report, 'structure').fix).toContain('GET /models');
    expect(result(report, 'models')).toMatchObject({ status: 'warn' });
    expect(result(report, 'models').message).toContain('fake-model');
  });
});

describe('auth', () => {
  it('an endpoint that takes the key only in api-key fails auth and names the header', async () => {
    const endpoint = await startFakeEndpoint({ authHeader: 'api-key' });
    const report = await runCheck(endpoint.url);
    expect(result(report, 'auth').status).toBe('fail');
    expect(result(report, 'auth').message).toMatch(/^Authentication error:/);
    expect(result(report, 'auth').message).toContain('accepted in the `api-key` header');
    expect(result(report, 'auth').fix).toContain('authHeader: api-key');
    // The other checks ran with that header.
    expect(statuses(report)).toEqual({ ...allPass, auth: 'fail' });
  });

  it('an endpoint that takes the key only in x-api-key fails auth and names that header', async () => {
    const endpoint = await startFakeEndpoint({ authHeader: 'x-api-key' });
    const report = await runCheck(endpoint.url);
    expect(result(report, 'auth').message).toContain('`x-api-key` header');
    expect(result(report, 'openai-client').status).toBe('pass');
  });

  it('a wrong key fails auth and skips the rest', async () => {
    const endpoint = await startFakeEndpoint();
    const report = await runCheck(endpoint.url, { apiKey: 'sk-wrong-key-00000000000' });
    expect(result(report, 'auth').status).toBe('fail');
    expect(result(report, 'auth').fix).toContain('Check the API key');
    expect(result(report, 'auth').remedies).toContainEqual(expect.objectContaining({ setting: 'apiKey' }));
    expect(result(report, 'structure').status).toBe('skip');
    expect(JSON.stringify(report)).not.toContain('sk-wrong-key-00000000000');
  });

  it('no key where one is needed fails auth saying none was given', async () => {
    const endpoint = await startFakeEndpoint();
    const report = await runCheck(endpoint.url, { apiKey: undefined });
    expect(result(report, 'auth').message).toContain('none was given');
    expect(report.curl).not.toContain('Authorization');
  });

  it('auth-required warns when a wrong key is accepted', async () => {
    const endpoint = await startFakeEndpoint({ apiKey: undefined });
    const report = await runCheck(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, 'auth-required': 'warn' });
    expect(result(report, 'auth-required').message).toContain('anyone');
    expect(report.compatible).toBe(true);
  });

  it('wrong path and api-key header together: both named, the rest checked', async () => {
    const endpoint = await startFakeEndpoint({ pathMode: 'root', authHeader: 'api-key' });
    const report = await runCheck(`${endpoint.origin}/v1`);
    expect(result(report, 'path').message).toContain(`the base URL should be ${endpoint.origin}.`);
    expect(result(report, 'auth').message).toContain('`api-key`');
    expect(statuses(report)).toEqual({ ...allPass, path: 'fail', auth: 'fail' });
  });
});
