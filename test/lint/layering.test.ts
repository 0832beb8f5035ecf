/**
 * The layering of ARCHITECTURE.md is enforced by `npm run lint`: files with deliberate violations
 * (test/fixtures/layering/, ignored by the normal lint run) are linted through ESLint's Node API
 * with the repository's own config, as if they lived inside src/ or web/src/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });

/** Lints a fixture as if it were the file at `virtualPath`; returns the layering messages. */
async function layeringMessages(fixture: string, virtualPath: string): Promise<string[]> {
  const text = readFileSync(join(root, 'test/fixtures/layering', fixture), 'utf8');
  const [result] = await eslint.lintText(text, { filePath: join(root, virtualPath) });
  expect(result, `no lint result for ${virtualPath}`).toBeDefined();
  // A parse failure would also make the lists below empty: refuse it.
  expect(result!.messages.filter((message) => message.fatal)).toEqual([]);
  return result!.messages
    .filter(
      (message) =>
        message.ruleId === '@typescript-eslint/no-restricted-imports' ||
        message.ruleId === 'no-restricted-syntax',
    )
    .map((message) => `${message.ruleId}: ${message.message}`);
}

describe('ESLint enforces the layers', () => {
  it('core importing storage fails', async () => {
    const messages = await layeringMessages('core-imports-storage.ts', 'src/core/offline/fixture.ts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('src/core/ may import only shared/');
  });

  it('cli reaching into app past app/index.ts fails, for a static and a dynamic import', async () => {
    const messages = await layeringMessages('cli-reaches-into-app.ts', 'src/cli/fixture.ts');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^@typescript-eslint\/no-restricted-imports: .*app\/index\.ts only/);
    expect(messages[1]).toMatch(/^no-restricted-syntax: .*app\/index\.ts only/);
  });

  it('server importing core directly fails', async () => {
    const messages = await layeringMessages('server-imports-core.ts', 'src/server/routes/fixture.ts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('src/server/ may import only shared/, app/');
  });

  it('the web app importing a value from the server fails', async () => {
    const messages = await layeringMessages('web-imports-server-value.ts', 'web/src/pages/fixture.tsx');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('only types from src/server/');
  });

  it('imports that follow the layers pass', async () => {
    expect(await layeringMessages('allowed.ts', 'src/cli/fixture.ts')).toEqual([]);
    expect(await layeringMessages('allowed-web.ts', 'web/src/pages/fixture.tsx')).toEqual([]);
  });

  it('the same violation is allowed where the layers allow it (app may import storage)', async () => {
    expect(await layeringMessages('core-imports-storage.ts', 'src/app/workspace/fixture.ts')).toEqual([]);
  });
});
