/**
 * A fix is data, worded by the surface that shows it: for every error code and every remedy, the
 * API's and the web app's wording name no CLI command or flag, while the CLI's does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFix } from '../../src/cli/remedy-wording.ts';
import { errorBodyFor, statusForError } from '../../src/server/index.ts';
import {
  ERROR_CODES,
  RemedyActionSchema,
  RemedySettingSchema,
  ReqaseError,
  type Remedy,
} from '../../src/shared/index.ts';
import { fixForWeb } from '../../web/src/remedy-wording.ts';

/** `reqase project list`, `--project`, `--base-url`: words that only mean something in a terminal. */
const CLI_WORDS = /\breqase\s+[a-z]|(^|[\s(`'"])--[a-z]/;

const remedies: Remedy[] = [
  ...RemedySettingSchema.options.map((setting): Remedy => ({ kind: 'set-setting', setting, example: 'x' })),
  ...RemedyActionSchema.options.map((action): Remedy => ({
    kind: 'run-action',
    action,
    project: 'Shop',
    story: 'SHOP-1',
    job: 'j1',
    provider: 'p',
  })),
  { kind: 'change-value', field: 'stories', example: 'KEY1,KEY2' },
  { kind: 'change-value', field: 'project' },
  { kind: 'change-value', field: 'preset', allowed: ['ollama', 'vllm'] },
  { kind: 'change-value', field: 'storyKey', example: 'SHOP-1' },
  { kind: 'set-setting', setting: 'apiKey', note: 'the key may be wrong or expired' },
];

describe('remedies worded per surface', () => {
  it('the CLI pattern itself recognises CLI words (so the checks below can fail)', () => {
    expect(CLI_WORDS.test('List projects with `reqase project list`.')).toBe(true);
    expect(CLI_WORDS.test('Give --base-url URL.')).toBe(true);
    expect(CLI_WORDS.test('List the projects with GET /api/projects.')).toBe(false);
  });

  it.each(ERROR_CODES)('%s: the API and the web app word every remedy without CLI words', (code) => {
    for (const remedy of remedies) {
      const error = new ReqaseError(code, 'Something went wrong.', { fix: 'Plain fix.', remedies: [remedy] });
      const body = errorBodyFor(error);
      expect(statusForError(error)).toBeGreaterThanOrEqual(400);
      expect(body.error.code).toBe(code);
      expect(body.error.remedies).toEqual([remedy]);
      const apiFix = body.error.fix ?? '';
      const webFix = fixForWeb(body.error.remedies) ?? '';
      expect(apiFix, JSON.stringify(remedy)).not.toBe('');
      expect(apiFix, JSON.stringify(remedy)).not.toMatch(CLI_WORDS);
      expect(webFix, JSON.stringify(remedy)).not.toBe('');
      expect(webFix, JSON.stringify(remedy)).not.toMatch(CLI_WORDS);
    }
  });

  it('the CLI words actions as commands and values as flags', () => {
    const fix = (remedy: Remedy): string | undefined =>
      cliFix(new ReqaseError('not_found', 'x', { remedies: [remedy] }));
    expect(fix({ kind: 'run-action', action: 'list-projects' })).toBe(
      'List projects with `reqase project list`.',
    );
    expect(fix({ kind: 'run-action', action: 'cancel-job', job: 'j1' })).toContain('reqase job cancel j1');
    expect(fix({ kind: 'change-value', field: 'stories', example: 'KEY1,KEY2' })).toBe(
      'Give --stories, e.g. --stories KEY1,KEY2.',
    );
    expect(fix({ kind: 'set-setting', setting: 'baseUrl' })).toContain('--base-url');
    expect(fix({ kind: 'change-value', field: 'storyKey', example: 'SHOP-1' })).toBe(
      'Give --story, e.g. --story SHOP-1.',
    );
    expect(fix({ kind: 'run-action', action: 'map-csv-columns' })).toContain(
      '--mapping "summary=Story name"',
    );
    expect(fix({ kind: 'set-setting', setting: 'apiKey', note: 'the key may be expired' })).toBe(
      'Give the key with --api-key or REQASE_API_KEY; the key may be expired.',
    );
  });

  it('alternatives become one sentence, and an error without remedies keeps its plain fix', () => {
    const error = new ReqaseError('not_found', 'There is no project named "Shop".', {
      fix: 'List the projects, or create this one.',
      remedies: [
        { kind: 'run-action', action: 'list-projects' },
        { kind: 'run-action', action: 'create-project', project: 'Shop' },
      ],
    });
    expect(errorBodyFor(error).error.fix).toBe(
      'List the projects with GET /api/projects, or create the project "Shop" with POST /api/projects.',
    );
    expect(cliFix(error)).toBe(
      'List projects with `reqase project list`, or create it with `reqase project create Shop`.',
    );
    const plain = new ReqaseError('invalid_input', 'Bad.', { fix: 'Send JSON.' });
    expect(errorBodyFor(plain).error).toEqual({ code: 'invalid_input', message: 'Bad.', fix: 'Send JSON.' });
  });

  it('storage and jobs quote no CLI command or flag in any message', () => {
    const offending: string[] = [];
    for (const folder of ['src/storage', 'src/jobs']) {
      for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
        const lines = readFileSync(join(folder, file), 'utf8').split('\n');
        lines.forEach((line, index) => {
          const code = line.replace(/^\s*(\/\/|\*|\/\*\*).*$/, '');
          if (CLI_WORDS.test(code)) offending.push(`${folder}/${file}:${index + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offending).toEqual([]);
  });
});
