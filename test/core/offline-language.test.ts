/**
 * `--language` on a story in another language, offline: the engine cannot translate the story's
 * own words, so the cases stay in the story's language (never half one, half the other) and a
 * warning says what was asked for, that nothing was translated, and what to do. The warning
 * reaches the CLI listing, `--json` and the API.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Story } from '../../src/core/index.ts';
import { generateOffline } from '../../src/core/offline/index.ts';
import { parseStoryText } from '../../src/formats/index.ts';
import { runReqaseInProcess } from '../support/reqase-in-process.ts';
import { startTestServer, type TestServer } from '../server/server-setup.ts';

const english = `# HR-4: Submit a leave request

As an employee, I want to request leave so that my manager can approve it.

## Acceptance criteria
- The leave type must be Annual, Sick or Unpaid.
- The end date must not be before the start date, with the message "End date must be on or after the start date".
- Only the employee's manager can approve the request.
`;

const german = `# PERS-1: Urlaubsantrag stellen

Als Mitarbeiterin möchte ich Urlaub beantragen, damit meine Vorgesetzte ihn genehmigen kann.

## Akzeptanzkriterien
- Die Urlaubsart muss Erholungsurlaub oder Sonderurlaub sein.
- Ist das Enddatum vor dem Startdatum, wird die Meldung „Das Enddatum darf nicht vor dem Startdatum liegen“ angezeigt.
`;

function storyOf(text: string): Story {
  const parsed = parseStoryText(text, { fileName: 'story.md' });
  if (!parsed.ok) throw parsed.error;
  return parsed.value[0]!;
}

/** Everything a tester reads in the cases. */
function textOf(result: ReturnType<typeof generateOffline>): string {
  return JSON.stringify(result.testCases);
}

describe('offline --language on a story in another language', () => {
  for (const [language, name] of [
    ['de', 'German'],
    ['fr', 'French'],
    ['es', 'Spanish'],
  ] as const) {
    it(`writes an English story's cases in English when ${name} is asked for, and says so`, () => {
      const story = storyOf(english);
      const plain = generateOffline(story, { format: 'bdd' });
      const asked = generateOffline(story, { format: 'bdd', language });
      expect(asked.testCases.length).toBeGreaterThan(0);
      // Consistent: the same cases as without the option, no frame word in the other language.
      expect(textOf(asked)).toBe(textOf(plain));
      expect(asked.testCases.every((testCase) => !testCase.gherkin?.startsWith('# language:'))).toBe(true);
      expect(asked.warnings).toContain(
        `The story is written in English and the offline engine cannot translate a story's own words, so nothing was translated: the cases are in English, not ${name} as asked. Use a model for cases in ${name}.`,
      );
      expect(plain.warnings.join('\n')).not.toContain('translate');
    });
  }

  it("writes a German story's cases in German when English is asked for, and says so", () => {
    const story = storyOf(german);
    const plain = generateOffline(story, { format: 'manual' });
    const asked = generateOffline(story, { format: 'manual', language: 'en' });
    expect(textOf(asked)).toBe(textOf(plain));
    expect(textOf(asked)).toContain('„Erholungsurlaub“ als Urlaubsart auswählen');
    expect(asked.warnings.join('\n')).toContain('the cases are in German, not English as asked');
    const bdd = generateOffline(story, { format: 'bdd', language: 'English' });
    expect(bdd.testCases[0]!.gherkin).toMatch(/^# language: de\n/);
  });

  it('asks for nothing when the language asked for is the story’s own, in any spelling', () => {
    for (const language of ['de', 'de-CH', 'German', 'Deutsch']) {
      expect(generateOffline(storyOf(german), { format: 'manual', language }).warnings).toEqual([]);
    }
  });

  it('names the story’s language when the language asked for is not one the engine writes', () => {
    const result = generateOffline(storyOf(german), { format: 'manual', language: 'ja' });
    expect(result.warnings).toContain(
      `The offline engine writes English, German, French and Spanish; "ja" was asked for, so the cases are in the story's language (German). Use a model for other languages.`,
    );
  });
});

describe('the language warning reaches the CLI and the API', () => {
  let dataDirectory: string;
  let server: TestServer;
  const expected = 'nothing was translated: the cases are in English, not German as asked';

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-language-'));
    vi.stubEnv('REQASE_DATA_DIR', dataDirectory);
    server = await startTestServer();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server.dispose();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('prints it in the listing and in --json', async () => {
    const file = join(dataDirectory, 'leave.md');
    writeFileSync(file, english);
    const listing = await runReqaseInProcess(['generate', file, '--offline', '--language', 'de']);
    expect(listing.code).toBe(0);
    expect(listing.stdout + listing.stderr).toContain(expected);
    const json = await runReqaseInProcess(['generate', file, '--offline', '--language', 'de', '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain(expected);
  });

  it('returns it from the API', async () => {
    const response = await fetch(`${server.url}/api/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: english, offline: true, language: 'de' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: Array<{ warnings: string[] }> };
    expect(body.results[0]!.warnings.join('\n')).toContain(expected);
  });
});
