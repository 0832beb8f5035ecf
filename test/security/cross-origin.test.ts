/**
 * A page served from another local origin (another port on 127.0.0.1) cannot write through the
 * user's browser: in real Chromium it tries a credentialed `fetch` POST and a form POST to
 * `/api/projects`, and the API afterwards holds no new project.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace } from '../../src/app/workspace/index.ts';
import { type TestServer, startWorkspaceServer } from '../server/server-setup.ts';
import { skippedTitle } from '../support/skip-reason.ts';

const chromiumPath = process.env.REQASE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'a page from another origin in Chromium'
    : skippedTitle('a page from another origin in Chromium', `${chromiumPath} is not installed`),
  () => {
    let server: TestServer;
    let workspace: Workspace;
    let attacker: Server;
    let attackerOrigin: string;
    let browser: Browser;

    beforeAll(async () => {
      const started = await startWorkspaceServer();
      server = started;
      workspace = started.workspace;
      const target = `${server.url}/api/projects`;
      attacker = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(`<!doctype html><html><body>
<form id="form" method="POST" action="${target}" enctype="text/plain" target="sink">
<input name='{"name":"FormProject","x":"' value='"}'></form>
<iframe name="sink"></iframe>
<script>
window.fetchResult = fetch(${JSON.stringify(target)}, {
  method: 'POST', credentials: 'include', mode: 'no-cors',
  headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'NoCorsProject' }),
}).then(() => 'sent', (error) => 'refused: ' + error.message);
window.corsResult = fetch(${JSON.stringify(target)}, {
  method: 'POST', credentials: 'include',
  headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'CorsProject' }),
}).then((response) => 'status ' + response.status, (error) => 'refused: ' + error.message);
</script></body></html>`);
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
      await server?.dispose();
      await workspace?.close();
    });

    it('cannot create a project by fetch or by form POST', async () => {
      const page = await browser.newPage();
      await page.goto(`${attackerOrigin}/`);
      expect(new URL(page.url()).origin).not.toBe(server.url);
      await page.evaluate(() => (window as unknown as { fetchResult: Promise<string> }).fetchResult);
      const cors = await page.evaluate(
        () => (window as unknown as { corsResult: Promise<string> }).corsResult,
      );
      expect(cors).toMatch(/refused|status 403/);
      const submitted = page.waitForEvent(
        'requestfinished',
        (request) => request.url() === `${server.url}/api/projects`,
      );
      await page.evaluate(() => (document.getElementById('form') as HTMLFormElement).submit());
      await submitted;
      await page.close();

      const listed = (await (await fetch(`${server.url}/api/projects`)).json()) as { projects: unknown[] };
      expect(listed.projects).toEqual([]);
      // The same request from the server's own origin is allowed: the guard refused the origin, not the body.
      const own = await fetch(`${server.url}/api/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ name: 'OwnOrigin' }),
      });
      expect(own.status).toBe(201);
      expect(server.log()).toMatch(/"method":"POST","path":"\/api\/projects","status":403/);
    });
  },
);
