import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openWorkspace,
  type Workspace,
  workspaceTokens,
  type TokenService,
} from '../../src/app/workspace/index.ts';
import { authenticationRequiredFor } from '../../src/server/index.ts';
import { resolveSettings } from '../../src/app/settings.ts';
import { startTestServer, type TestServer } from './server-setup.ts';

describe('authenticationRequiredFor', () => {
  it('needs no authentication on loopback', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
      '::ffff:127.0.0.1',
    ]) {
      expect(authenticationRequiredFor(host), host).toBe(false);
    }
  });
  it('needs authentication on every other address', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.10',
      '10.0.0.1',
      'example.com',
      '[2001:db8::1]',
      'reqase.internal',
    ]) {
      expect(authenticationRequiredFor(host), host).toBe(true);
    }
  });
});

describe('a server requiring authentication', () => {
  let server: TestServer;
  let workspace: Workspace;
  let tokens: TokenService;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ authenticationRequired: true });
    workspace = openWorkspace(
      resolveSettings({ REQASE_DATA_DIR: server.dataDirectory }, server.dataDirectory),
    );
    tokens = workspaceTokens(workspace);
    await server.close();
    server = await startTestServer({
      authenticationRequired: true,
      tokens,
      workspace: { workspace, tokens },
    });
    token = (await tokens.create('tests')).token;
  });

  afterAll(async () => {
    await server?.dispose();
    await workspace?.close();
  });

  it('refuses every anonymous write route listed in the OpenAPI document', async () => {
    const document = (await (
      await fetch(`${server.url}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const writes: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        if (method === 'get' || path === '/api/session') continue;
        writes.push(`${method.toUpperCase()} ${path}`);
        const response = await fetch(`${server.url}${path.replace(/\{[^}]+\}/g, 'x')}`, {
          method: method.toUpperCase(),
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      }
    }
    expect(writes.length).toBeGreaterThan(15);
    expect(writes).toEqual(expect.arrayContaining(['POST /api/projects', 'DELETE /api/providers/{name}']));
  });

  it('refuses anonymous reads too, but not health', async () => {
    expect((await fetch(`${server.url}/api/projects`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('needs a token for the OpenAPI document and the reference page too, as the README says', async () => {
    for (const path of ['/api/openapi.json', '/api/docs']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(401);
      const withToken = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(withToken.status, path).toBe(200);
    }
    // Every anonymous GET in the document but health and the session state is refused.
    const document = (await (
      await fetch(`${server.url}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { paths: Record<string, Record<string, unknown>> };
    const open: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!('get' in operations)) continue;
      const response = await fetch(`${server.url}${path.replace(/\{[^}]+\}/g, 'x')}`);
      if (response.status !== 401) open.push(path);
    }
    expect(open.sort()).toEqual(['/api/health', '/api/session']);
  });

  it('accepts a valid Bearer token and refuses a wrong one', async () => {
    const ok = await fetch(`${server.url}/api/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bearer project' }),
    });
    expect(ok.status).toBe(201);
    const wrong = await fetch(`${server.url}/api/projects`, {
      headers: { authorization: 'Bearer rql_nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('signs a browser in with a session cookie that needs the CSRF header on writes', async () => {
    const login = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie();
    const sessionCookie = cookies.find((cookie) => cookie.startsWith('reqase_session='));
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Strict/);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = cookies.map((line) => line.split(';')[0]).join('; ');

    const read = await fetch(`${server.url}/api/projects`, { headers: { cookie } });
    expect(read.status).toBe(200);

    const create = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/projects`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: `Session project ${Math.random()}` }),
      });
    expect((await create({ 'x-csrf-token': csrfToken })).status).toBe(201);
    expect((await create({})).status).toBe(403);
    expect((await create({ 'x-csrf-token': 'wrong' })).status).toBe(403);
    // A page of another site, even with the cookie and the token, cannot write.
    const crossOrigin = await create({ 'x-csrf-token': csrfToken, origin: 'https://evil.example' });
    expect(crossOrigin.status).toBe(403);
    expect(((await crossOrigin.json()) as { error: { code: string } }).error.code).toBe('cross_site_request');
    expect((await create({ 'x-csrf-token': csrfToken, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // The server's own origin is fine.
    expect((await create({ 'x-csrf-token': csrfToken, origin: server.url })).status).toBe(201);
  });

  it('refuses a login with an unknown token', async () => {
    const response = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'rql_unknown' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('ends the sessions of a revoked token', async () => {
    const created = await tokens.create('short-lived');
    const login = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: created.token }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const revoke = await fetch(`${server.url}/api/tokens/${created.record.id}`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(revoke.status).toBe(200);
    expect((await fetch(`${server.url}/api/projects`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('a loopback server without authentication', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('still refuses writes from another site’s page', async () => {
    const response = await fetch(`${server.url}/api/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ content: 'Story', offline: true }),
    });
    expect(response.status).toBe(403);
  });
});
