/**
 * Writes the server's OpenAPI document (every route, the workspace's included) to a file, for
 * `redocly lint` and `openapi-typescript`. The document is built by the app itself on a throwaway
 * data directory: nothing generated is committed.
 *
 * Usage: `tsx scripts/openapi-document.ts [output]` (default `.test-build/openapi/openapi.json`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pino } from 'pino';
import { resolveSettings } from '../src/app/settings.ts';
import { openWorkspace, workspaceTokens } from '../src/app/workspace/index.ts';
import { createServer } from '../src/server/index.ts';

/** The document as the server serves it at `/api/openapi.json`. */
export async function openApiDocument(): Promise<unknown> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-openapi-'));
  const settings = resolveSettings({ REQASE_DATA_DIR: dataDirectory }, dataDirectory);
  const workspace = openWorkspace(settings, { secretKey: new Uint8Array(32) });
  try {
    const tokens = workspaceTokens(workspace);
    const { app } = createServer({
      settings,
      authenticationRequired: false,
      tokens,
      workspace: { workspace, tokens },
      logger: pino({ level: 'silent' }),
    });
    const response = await app.request('/api/openapi.json', { headers: { host: 'localhost' } });
    if (!response.ok) throw new Error(`The server answered ${response.status} for its OpenAPI document.`);
    return await response.json();
  } finally {
    await workspace.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const output = resolve(process.argv[2] ?? '.test-build/openapi/openapi.json');
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
  process.stdout.write(`Wrote ${output}\n`);
}
