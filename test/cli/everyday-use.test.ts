/**
 * Everyday use of the workspace commands, as a user meets them: job ids in every form the tool
 * prints, cancelling a finished job, a second bulk run over covered stories, and the history of an
 * edited case. In this process through `runReqaseCli` (offline engine, own data directory).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Workspace } from '../../src/app/workspace/index.ts';
import { resolveJobId } from '../../src/cli/job.ts';
import { startFakeLlmEndpoint, type ChatCompletionRequestBody } from '../support/fake-llm-endpoint.ts';
import { runReqaseInProcess as reqase } from '../support/reqase-in-process.ts';

const root = join(import.meta.dirname, '..', '..');
const directory = mkdtempSync(join(tmpdir(), 'reqase-everyday-'));

interface JobListed {
  id: string;
  status: string;
}

async function jobs(): Promise<JobListed[]> {
  return (JSON.parse((await reqase(['job', 'list', '--json'])).stdout) as { jobs: JobListed[] }).jobs;
}

beforeAll(async () => {
  vi.stubEnv('REQASE_DATA_DIR', join(directory, 'data'));
  for (const name of [
    'REQASE_BASE_URL',
    'REQASE_MODEL',
    'REQASE_PROVIDER',
    'OPENAI_BASE_URL',
    'OPENAI_API_KEY',
  ])
    vi.stubEnv(name, undefined);
  vi.stubEnv('NO_COLOR', '1');
  expect((await reqase(['project', 'create', 'shop', '--format', 'bdd'])).code).toBe(0);
  const login = join(root, 'examples', 'stories', 'login.md');
  expect((await reqase(['story', 'import', login, '--project', 'shop'])).code).toBe(0);
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(directory, { recursive: true, force: true });
});

describe('bulk runs and job ids', () => {
  let firstJobId: string;

  it('runs the first bulk job and prints its short id in progress lines', async () => {
    const run = await reqase(['generate', '--project', 'shop', '--all']);
    expect(run.code, run.stderr).toBe(0);
    firstJobId = (await jobs())[0]?.id ?? '';
    expect(run.stderr).toContain(`Job ${firstJobId.slice(0, 8)}:`);
  });

  it('says a second run over covered stories skipped them, and why', async () => {
    const run = await reqase(['generate', '--project', 'shop', '--all']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/skipped: already covered \(use --regenerate\)/);
    expect(run.stdout).not.toMatch(/completed: 1 done/);
    const second = (await jobs()).find((job) => job.id !== firstJobId) as JobListed;
    const shown = await reqase(['job', 'show', second.id.slice(0, 8)]);
    expect(shown.stdout).toMatch(/AUTH-1 {2}\[done\] {2}attempts 1 {2}skipped: already covered/);
  });

  it('accepts the short id printed in progress lines, and any unique prefix', async () => {
    for (const form of [firstJobId, firstJobId.slice(0, 8), firstJobId.slice(0, 8).toUpperCase()]) {
      const run = await reqase(['job', 'show', form, '--json']);
      expect(run.code, `${form}: ${run.stderr}`).toBe(0);
      expect((JSON.parse(run.stdout) as { id: string }).id).toBe(firstJobId);
    }
  });

  it('refuses an ambiguous prefix, naming the jobs it could mean', async () => {
    const listed = ['abcd1234-0000-4000-8000-000000000001', 'abcd9876-0000-4000-8000-000000000002'];
    const workspace = { jobs: { list: async () => listed.map((id) => ({ id })) } } as unknown as Workspace;
    await expect(resolveJobId(workspace, 'abcd')).rejects.toThrow(
      /The id abcd is ambiguous: it begins 2 jobs \(abcd1234-.*, abcd9876-.*\)/,
    );
    await expect(resolveJobId(workspace, 'abcd9')).resolves.toBe(listed[1]);
    await expect(resolveJobId(workspace, 'ffff')).rejects.toThrow(/There is no job with id ffff/);
  });

  it('says a finished job was already finished when asked to cancel it (exit 1)', async () => {
    const run = await reqase(['job', 'cancel', firstJobId.slice(0, 8)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/had already finished \(completed\); there is nothing to cancel/);
    expect(run.stderr).toMatch(/^Fix: /m);
  });
});

describe('case history', () => {
  const gherkin = [
    'Feature: AUTH-1: Sign in',
    '',
    '  Scenario: Sign in from the saved-email field',
    '    Given a registered user whose email is remembered',
    '    And the sign-in page is open',
    '    When they enter the correct password',
    '    Then their account dashboard is shown',
    '',
  ].join('\n');

  it('labels version 1 as generated and the edit as a person’s, with preconditions from the new Gherkin', async () => {
    const patch = join(directory, 'patch.json');
    writeFileSync(patch, JSON.stringify({ gherkin }));
    const edited = await reqase([
      'case',
      'edit',
      '--project',
      'shop',
      'AUTH-1/TC-1',
      '--patch',
      patch,
      '--json',
    ]);
    expect(edited.code, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout)).toMatchObject({
      preconditions: ['A registered user whose email is remembered', 'The sign-in page is open'],
      version: 2,
    });

    const history = await reqase(['case', 'history', '--project', 'shop', 'AUTH-1/TC-1']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/^Version 1 \(generated by the rules engine\) · recorded by /m);
    expect(history.stdout).toMatch(/^Version 2 \(current, edited by a person\) · recorded by /m);
    expect(history.stdout).not.toMatch(/^Version 1 .*edited/m);

    const json = JSON.parse(
      (await reqase(['case', 'history', '--project', 'shop', 'AUTH-1/TC-1', '--json'])).stdout,
    ) as { testCase: { editedByPerson: boolean }; versions: Array<{ origin: string }> };
    expect(json.testCase.editedByPerson).toBe(true);
    expect(json.versions.map((version) => version.origin)).toEqual(['generated by the rules engine']);
  });
});

describe('quality of stored cases', () => {
  interface ListedCase {
    displayId: string;
    storyKey: string;
    quality: { score: number; findings: Array<{ rule: string; fix: string }> };
  }

  it('shows each case’s score in case list, and the findings with their fixes in case show', async () => {
    // A cut quote in a Then line: the broken-text rule's error finding.
    const patch = join(directory, 'broken-patch.json');
    writeFileSync(
      patch,
      JSON.stringify({
        gherkin: [
          'Feature: AUTH-1: Sign in',
          '',
          '  Scenario: Sign in with a wrong password',
          '    Given a registered user',
          '    When they sign in with the password "wrong-password"',
          '    Then the message "Wrong email or password is shown',
          '',
        ].join('\n'),
      }),
    );
    const edited = await reqase(['case', 'edit', '--project', 'shop', 'AUTH-1/TC-2', '--patch', patch]);
    expect(edited.code, edited.stderr).toBe(0);

    const listed = await reqase(['case', 'list', '--project', 'shop', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const testCases = (JSON.parse(listed.stdout) as { testCases: ListedCase[] }).testCases;
    expect(testCases.length).toBeGreaterThan(1);
    for (const testCase of testCases) {
      expect(Number.isInteger(testCase.quality.score)).toBe(true);
      expect(testCase.quality.score).toBeGreaterThanOrEqual(0);
      expect(testCase.quality.score).toBeLessThanOrEqual(100);
    }
    const broken = testCases.find((testCase) => testCase.displayId === 'TC-2') as ListedCase;
    expect(broken.quality.findings.map((finding) => finding.rule)).toContain('broken-text');
    expect(broken.quality.score).toBeLessThanOrEqual(75);

    const text = await reqase(['case', 'list', '--project', 'shop']);
    expect(text.code, text.stderr).toBe(0);
    for (const testCase of testCases) {
      const line = new RegExp(
        `^ *${testCase.quality.score}  ${testCase.storyKey}/${testCase.displayId}  \\[`,
        'm',
      );
      expect(text.stdout).toMatch(line);
    }

    const shown = await reqase(['case', 'show', '--project', 'shop', 'AUTH-1/TC-2']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`Quality: ${broken.quality.score}/100`);
    expect(shown.stdout).toMatch(
      /✗ error +broken-text +The Gherkin step "Then" is garbled: a quote is not closed/,
    );
    expect(shown.stdout).toContain('Fix: Write the whole sentence, with every quoted text complete');
    const json = JSON.parse(
      (await reqase(['case', 'show', '--project', 'shop', 'AUTH-1/TC-2', '--json'])).stdout,
    );
    expect(json.quality).toEqual(broken.quality);
  });
});

describe('generate --temperature and --max-tokens (the fix `reqase check` recommends)', () => {
  it('sends them to the model', async () => {
    const answer = JSON.stringify({
      testCases: [
        {
          title: 'Sign in with valid credentials',
          kind: 'positive',
          priority: 'high',
          preconditions: ['A registered user exists'],
          steps: [{ action: 'Sign in', data: 'maria@example.com', expected: 'The dashboard is shown' }],
          covers: ['AC-1'],
        },
      ],
    });
    const endpoint = await startFakeLlmEndpoint({ scenario: { default: { kind: 'answer', text: answer } } });
    try {
      const login = join(root, 'examples', 'stories', 'login.md');
      const run = await reqase([
        'generate',
        login,
        '--base-url',
        endpoint.url,
        '--model',
        'fake-model',
        '--temperature',
        '1',
        '--max-tokens',
        '3000',
        '--no-fill-gaps',
        '--json',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const bodies = endpoint
        .completionRequests()
        .map((request) => request.body as ChatCompletionRequestBody);
      expect(bodies.length).toBeGreaterThan(0);
      for (const body of bodies) expect(body).toMatchObject({ temperature: 1, max_tokens: 3000 });
    } finally {
      await endpoint.close();
    }
  });
});
