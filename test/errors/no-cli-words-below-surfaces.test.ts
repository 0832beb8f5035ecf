/**
 * The layers below the surfaces (app, llm, storage, jobs, core, connectors, formats) word no CLI
 * command or flag in any string: a fix that needs one is a `Remedy` that each surface words
 * (ARCHITECTURE.md, "Layers"). A static scan of every string literal (comments are not strings, so doc comments may
 * still show a command), so a new message that quotes `--base-url` or `reqase project list` fails
 * here before a web or API user reads it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** `reqase project list`, `--project`, `--base-url`: words that only mean something in a terminal. */
const CLI_WORDS = /\breqase\s+[a-z]|(^|[\s(`'"])--[a-z]/;

const FOLDERS = [
  'src/app',
  'src/llm',
  'src/storage',
  'src/jobs',
  'src/core',
  'src/connectors',
  'src/formats',
];

/** Flags of other programs that a fix may name: each with the file it is in and why. */
const OTHER_PROGRAMS_FLAGS: ReadonlyArray<{ file: string; words: string; program: string }> = [
  { file: 'src/llm/presets.ts', words: '--served-model-name', program: 'vLLM (vllm serve)' },
  { file: 'src/llm/check/connection-checks.ts', words: 'vLLM --api-key', program: 'vLLM (vllm serve)' },
];

/** Every string literal and template text of a source file, with its line. */
function stringsOf(path: string): Array<{ line: number; text: string }> {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Array<{ line: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (!ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent)) {
        found.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => join(folder, file).split('\\').join('/'));
}

function allowed(path: string, text: string): boolean {
  return OTHER_PROGRAMS_FLAGS.some(({ file, words }) => file === path && text.includes(words));
}

describe('no CLI words below the surfaces', () => {
  it('the scan finds CLI words in strings and templates, not in comments', () => {
    const found = stringsOf('test/errors/fixtures/cli-words.ts').filter(({ text }) => CLI_WORDS.test(text));
    expect(found.map(({ line }) => line)).toEqual([3, 4, 5]);
  });

  it.each(FOLDERS)('%s words no CLI command or flag in any string', (folder) => {
    const offending = sourceFiles(folder).flatMap((path) =>
      stringsOf(path)
        .filter(({ text }) => CLI_WORDS.test(text) && !allowed(path, text))
        .map(({ line, text }) => `${path}:${line}: ${text}`),
    );
    expect(offending).toEqual([]);
  });
});
