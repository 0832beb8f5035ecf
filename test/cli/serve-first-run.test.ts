/**
 * The Quick start's `npm install && npx reqase serve` on a fresh checkout (no `web/dist` yet)
 * serves the working web app, not a "not built yet" page: the first `serve` builds it, saying so
 * and how long it took. Runs on a copy of the package (bin, src, package.json; node_modules
 * linked) so the checkout's own `web/dist` is never touched. Its `web/` is the real one's
 * `index.html` and `vite.config.ts` (React plugin and all) over a one-component app: what this
 * proves is that the first `serve` builds the web sources it finds, through the same code path,
 * and serves the result; that the real app's sources build with that configuration is proved by
 * every browser suite (test/support/web-build.ts), so building them here again only cost time.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from '../support/child-processes.ts';

const root = join(import.meta.dirname, '..', '..');
let checkout: string;

beforeAll(() => {
  checkout = mkdtempSync(join(tmpdir(), 'reqase-fresh-checkout-'));
  for (const entry of ['bin', 'src', 'package.json', 'tsconfig.json'])
    cpSync(join(root, entry), join(checkout, entry), { recursive: true });
  mkdirSync(join(checkout, 'web', 'src'), { recursive: true });
  for (const entry of ['index.html', 'vite.config.ts'])
    cpSync(join(root, 'web', entry), join(checkout, 'web', entry));
  writeFileSync(
    join(checkout, 'web', 'src', 'main.tsx'),
    [
      "import { createRoot } from 'react-dom/client';",
      'function App() {',
      '  return <h1>Reqase Lite</h1>;',
      '}',
      "createRoot(document.getElementById('root')!).render(<App />);",
      '',
    ].join('\n'),
  );
  symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
});

afterAll(() => rmSync(checkout, { recursive: true, force: true }));

describe('npx reqase serve on a fresh checkout', () => {
  it(
    'builds the web app on first start, says how long it took, and serves it',
    { timeout: 300_000 },
    async () => {
      expect(existsSync(join(checkout, 'web', 'dist'))).toBe(false);
      const server = startChild(
        process.execPath,
        [join(checkout, 'bin', 'reqase.js'), 'serve', '--port', '0'],
        {
          cwd: checkout,
          // A shell with NODE_ENV=development still gets React's production build (Vite takes
          // React's mode from NODE_ENV; the development build made the review tab 3x slower).
          env: {
            PATH: process.env.PATH ?? '',
            HOME: checkout,
            REQASE_DATA_DIR: join(checkout, 'data'),
            NODE_ENV: 'development',
          },
        },
      );
      // Waiting for the serving line (an event), then reading what came before it.
      const serving = await server.waitForLine(/is serving on (http:\/\/\S+?) /);
      expect(server.stderr()).toMatch(/^Building the web app \(first start only\)…$/m);
      expect(server.stderr()).toMatch(/^Built the web app in \d+\.\d s\.$/m);
      const url = /serving on (http:\/\/\S+?) /.exec(serving)?.[1] as string;

      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain('has not been built yet');
      expect(html).toMatch(/<script type="module"[^>]* src="\/assets\/index-[\w-]+\.js"/);
      expect(existsSync(join(checkout, 'web', 'dist', 'index.html'))).toBe(true);
      const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(html)?.[1] as string;
      const code = await (await fetch(`${url}${script}`)).text();
      expect(code).toContain('Reqase Lite');
      expect(code, "React's development build").not.toMatch(/jsxDEV|react-dom\.development/);

      server.signal('SIGTERM');
      expect(await server.exited).toBe(0);

      // The second start serves the same build at once.
      const again = startChild(
        process.execPath,
        [join(checkout, 'bin', 'reqase.js'), 'serve', '--port', '0'],
        {
          cwd: checkout,
          env: { PATH: process.env.PATH ?? '', HOME: checkout, REQASE_DATA_DIR: join(checkout, 'data') },
        },
      );
      await again.waitForLine(/is serving on /);
      expect(again.stderr()).not.toContain('Building the web app');
    },
  );
});
