/**
 * Browser sessions live in the database, bound to their token: revoking the token from another
 * process (the CLI, or the app's token service on another connection) ends them at once, and they
 * can no longer mint tokens; a second server on the same database accepts them; a restart keeps
 * them; they expire; only a hash of the session id is stored. On SQLite and PostgreSQL.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, workspaceTokens, type Workspace } from '../../src/app/workspace/index.ts';
import { runReqaseWithoutModel } from '../bad-input/bad-input-cases.ts';
import { startTestServer, type TestServer } from '../server/server-setup.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  type TestDatabase,
} from '../storage/storage-setup.ts';

interface Browser {
  cookie: string;
  csrfToken: string;
}

for (const dialect of DIALECTS) {
  // The SQLite run spawns the real CLI; a generous ceiling for a loaded machine.
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('stored browser sessions', dialect),
    { timeout: 90_000 },
    () => {
      let testDatabase: TestDatabase;
      const servers: TestServer[] = [];
      const workspaces: Workspace[] = [];

      /** A server "process": its own connection to the shared database, authentication required. */
      async function startInstance(): Promise<TestServer> {
        const { storage } = await testDatabase.open();
        const settings = resolveSettings({}, process.cwd());
        const workspace = openWorkspace(settings, { storage });
        workspaces.push(workspace);
        const tokens = workspaceTokens(workspace);
        const server = await startTestServer({
          authenticationRequired: true,
          tokens,
          workspace: { workspace, tokens },
        });
        servers.push(server);
        return server;
      }

      async function logIn(server: TestServer, token: string): Promise<Browser> {
        const response = await fetch(`${server.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
        expect(response.status).toBe(200);
        const { csrfToken } = (await response.json()) as { csrfToken: string };
        const cookie = response.headers
          .getSetCookie()
          .map((line) => line.split(';')[0])
          .join('; ');
        return { cookie, csrfToken };
      }

      async function listTokens(server: TestServer, browser: Browser): Promise<number> {
        return (await fetch(`${server.url}/api/tokens`, { headers: { cookie: browser.cookie } })).status;
      }

      async function mintToken(server: TestServer, browser: Browser): Promise<number> {
        const response = await fetch(`${server.url}/api/tokens`, {
          method: 'POST',
          headers: {
            cookie: browser.cookie,
            'x-csrf-token': browser.csrfToken,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ name: 'minted' }),
        });
        return response.status;
      }

      beforeEach(async () => {
        testDatabase = await createTestDatabase(dialect);
      });

      afterEach(async () => {
        for (const server of servers.splice(0)) await server.dispose();
        for (const workspace of workspaces.splice(0)) await workspace.close();
        await testDatabase.dispose();
      });

      it('are shared by two servers, survive a restart, and end when another process revokes the token', async () => {
        const first = await startInstance();
        const { storage } = await testDatabase.open();
        const created = await storage.apiTokens.create('browser');
        const browser = await logIn(first, created.token);
        expect(await listTokens(first, browser)).toBe(200);
        expect(await mintToken(first, browser)).toBe(201);

        // Only a hash of the session id is stored.
        const sessionId = /reqase_session=([^;]+)/.exec(browser.cookie)![1]!;
        const { database } = await testDatabase.open();
        const rows = await database.selectFrom('sessions').selectAll().execute();
        expect(rows).toHaveLength(1);
        expect(JSON.stringify(rows)).not.toContain(sessionId);

        const second = await startInstance();
        expect(await listTokens(second, browser)).toBe(200);
        await first.dispose();
        servers.splice(servers.indexOf(first), 1);
        const restarted = await startInstance();
        expect(await listTokens(restarted, browser)).toBe(200);

        if (testDatabase.sqliteFile) {
          // The real CLI, another process on the same file.
          const revoked = await runReqaseWithoutModel(['token', 'revoke', 'browser'], {
            cwd: process.cwd(),
            dataDirectory: join(testDatabase.sqliteFile, '..'),
          });
          expect(revoked.code, revoked.stderr).toBe(0);
        } else {
          // PostgreSQL in a random schema the CLI cannot name: the same token service on its own connection.
          const other = openWorkspace(resolveSettings({}, process.cwd()), {
            storage: (await testDatabase.open()).storage,
          });
          workspaces.push(other);
          expect(await workspaceTokens(other).remove(created.record.id)).toBe(true);
        }

        for (const server of [second, restarted]) {
          expect(await listTokens(server, browser)).toBe(401);
          expect(await mintToken(server, browser)).toBe(401);
        }
        expect(await database.selectFrom('sessions').selectAll().execute()).toEqual([]);
      });

      it('end when they expire', async () => {
        let now = new Date('2026-01-01T00:00:00Z');
        const { storage } = await testDatabase.open({ clock: () => now });
        const { record } = await storage.apiTokens.create('browser');
        const { sessionId } = await storage.sessions.create(record.id, '2026-01-01T12:00:00.000Z');
        expect(await storage.sessions.find(sessionId)).toMatchObject({
          tokenId: record.id,
          tokenName: 'browser',
        });
        now = new Date('2026-01-01T12:00:00Z');
        expect(await storage.sessions.find(sessionId)).toBeUndefined();
      });

      it('end on sign-out and with their token, one token at a time', async () => {
        const { storage } = await testDatabase.open();
        const kept = await storage.apiTokens.create('kept');
        const revoked = await storage.apiTokens.create('revoked');
        const far = '2999-01-01T00:00:00.000Z';
        const keptSession = await storage.sessions.create(kept.record.id, far);
        const signedOut = await storage.sessions.create(kept.record.id, far);
        const revokedSession = await storage.sessions.create(revoked.record.id, far);
        await storage.sessions.remove(signedOut.sessionId);
        await storage.apiTokens.remove(revoked.record.id);
        expect(await storage.sessions.find(signedOut.sessionId)).toBeUndefined();
        expect(await storage.sessions.find(revokedSession.sessionId)).toBeUndefined();
        expect(await storage.sessions.find(keptSession.sessionId)).toMatchObject({ tokenName: 'kept' });
      });
    },
  );
}
