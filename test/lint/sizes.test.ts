/**
 * `npm run lint` limits sizes in src/ and web/src/ (ARCHITECTURE.md, "Size exceptions"): a
 * function over 80 lines or a file over 400, blank lines and comments not counted, unit tests
 * excepted. Generated texts are linted through ESLint's Node API with the repository's config.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });

/** A function of `statements` + 3 counted lines (signature, `let`, `return`, closing brace), each statement followed by a blank line and a comment. */
function functionText(name: string, statements: number): string {
  const body = Array.from({ length: statements }, (_, index) => `  total += ${index};\n\n  // step ${index}`);
  return `export function ${name}(): number {\n  let total = 0;\n${body.join('\n')}\n  return total;\n}\n`;
}

async function sizeMessages(text: string, virtualPath: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(root, virtualPath) });
  expect(result, `no lint result for ${virtualPath}`).toBeDefined();
  expect(result!.messages.filter((message) => message.fatal)).toEqual([]);
  return result!.messages
    .filter((message) => message.ruleId === 'max-lines' || message.ruleId === 'max-lines-per-function')
    .map((message) => `${message.ruleId}: ${message.message}`);
}

describe('ESLint limits the sizes of files and functions', () => {
  it('a function of 81 lines fails in src/ and web/src/, one of 80 passes (blank lines and comments not counted)', async () => {
    expect(await sizeMessages(functionText('tooLong', 77), 'src/jobs/fixture.ts')).toEqual([
      expect.stringMatching(/^max-lines-per-function: .*'tooLong' has too many lines \(81\)/),
    ]);
    expect(await sizeMessages(functionText('tooLong', 77), 'web/src/pages/fixture.tsx')).toHaveLength(1);
    expect(await sizeMessages(functionText('justRight', 76), 'src/jobs/fixture.ts')).toEqual([]);
  });

  it('a file of 401 lines fails', async () => {
    const text = Array.from({ length: 401 }, (_, index) => `export const value${index} = ${index};`).join(
      '\n',
    );
    expect(await sizeMessages(text, 'src/storage/fixture.ts')).toEqual([
      expect.stringMatching(/^max-lines: File has too many lines \(401\)/),
    ]);
    expect(await sizeMessages(text.split('\n').slice(1).join('\n'), 'src/storage/fixture.ts')).toEqual([]);
  });

  it('unit tests are not limited', async () => {
    expect(await sizeMessages(functionText('longTest', 200), 'src/jobs/fixture.test.ts')).toEqual([]);
  });
});
