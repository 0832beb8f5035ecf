/**
 * The repair round on the model path (issue #10, part 2), over real HTTP against the fake endpoint:
 * junk cases get error findings and a low score; the one follow-up request carries the findings
 * and the uncovered criteria; a rewrite replaces a case only when it is better; a model that
 * answers the repair with the same junk is not asked again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateForStory, type GenerationOutput } from '../../src/app/generation.ts';
import type { Story } from '../../src/core/index.ts';
import { ProviderConfigSchema } from '../../src/llm/index.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { runReqase } from '../support/reqase-process.ts';

const apiKey = 'sk-repair-0123456789abcdef';

const story: Story = {
  key: 'LIB-5',
  summary: 'Renew a borrowed book',
  description: 'As a library member I want to renew a loan online so that I can keep the book longer.',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'A member can renew the same loan at most 2 times.' },
    {
      id: 'AC-2',
      text: 'When another member has reserved the book, the message "This book is reserved and cannot be renewed" is shown.',
    },
    { id: 'AC-3', text: 'The new due date is 14 days after the current due date.' },
    { id: 'AC-4', text: 'A renewal is confirmed by email to the member.' },
  ],
  outOfScope: [],
  notes: [],
  source: 'markdown',
};

const storyMarkdown = [
  '# LIB-5: Renew a borrowed book',
  '',
  story.description,
  '',
  '## Acceptance Criteria',
  ...story.acceptanceCriteria.map((criterion) => `- ${criterion.text}`),
  '',
].join('\n');

interface WireCase {
  title: string;
  kind: string;
  priority: string;
  preconditions: string[];
  steps: Array<{ action: string; data?: string; expected?: string }>;
  covers: string[];
}

const junkCases: WireCase[] = [
  {
    title: 'Renew a loan',
    kind: 'positive',
    priority: 'high',
    preconditions: [],
    steps: [{ action: 'Perform the action described', expected: 'Behaviour matches: the loan is renewed' }],
    covers: ['AC-1'],
  },
  {
    title: 'Reserved book',
    kind: 'negative',
    priority: 'high',
    preconditions: [],
    steps: [{ action: 'Submit the form with an invalid value', expected: 'As expected' }],
    covers: ['AC-2'],
  },
  {
    title: 'Invalid renewal',
    kind: 'negative',
    priority: 'medium',
    preconditions: [],
    steps: [{ action: 'Submit the form with an invalid value', expected: 'As expected' }],
    covers: ['AC-1'],
  },
  {
    title: 'New due date',
    kind: 'positive',
    priority: 'medium',
    preconditions: ['Member ana@example.org has "Dune" on loan, due 2026-03-10'],
    steps: [
      { action: 'Open "My loans" and select "Renew" next to "Dune"' },
      { action: 'Select "Confirm"', expected: 'The new due date is 14 days after the current due date' },
    ],
    covers: ['AC-3'],
  },
  {
    title: 'Reserved book message',
    kind: 'negative',
    priority: 'high',
    preconditions: ['Member ana@example.org has "Dune" on loan'],
    steps: [
      { action: 'Open "My loans" and select "Renew' },
      { action: 'Select "Confirm"', expected: 'The message "This book is reserved' },
    ],
    covers: ['AC-2'],
  },
];

const repairedCases: WireCase[] = [
  {
    title: '[TC-1] First renewal of a loan moves the due date',
    kind: 'positive',
    priority: 'high',
    preconditions: ['Member ana@example.org has "Dune" on loan, due 2026-03-10, never renewed'],
    steps: [
      { action: 'Sign in as ana@example.org and open "My loans"' },
      {
        action: 'Select "Renew" next to "Dune" and then "Confirm"',
        expected: '"Dune" shows "Renewed 1 of 2"',
      },
    ],
    covers: ['AC-1'],
  },
  {
    title: '[TC-2] A reserved book cannot be renewed',
    kind: 'negative',
    priority: 'high',
    preconditions: ['Member ana@example.org has "Dune" on loan; member li@example.org has reserved "Dune"'],
    steps: [
      { action: 'Sign in as ana@example.org and open "My loans"' },
      {
        action: 'Select "Renew" next to "Dune"',
        expected: 'The message "This book is reserved and cannot be renewed" is shown',
      },
    ],
    covers: ['AC-2'],
  },
  {
    title: '[TC-3] A third renewal is refused',
    kind: 'negative',
    priority: 'medium',
    preconditions: ['Member ben@example.org has "Emma" on loan, already renewed 2 times'],
    steps: [
      { action: 'Sign in as ben@example.org and open "My loans"' },
      {
        action: 'Select "Renew" next to "Emma"',
        expected: '"Renew" is disabled and "Renewed 2 of 2" is shown',
      },
    ],
    covers: ['AC-1'],
  },
  {
    title: '[TC-4] Renewal sets the due date 14 days later',
    kind: 'positive',
    priority: 'medium',
    preconditions: ['Member ana@example.org has "Dune" on loan, due 2026-03-10'],
    steps: [
      { action: 'Open "My loans" and select "Renew" next to "Dune"' },
      { action: 'Select "Confirm"', expected: '"Dune" shows the due date 2026-03-24' },
    ],
    covers: ['AC-3'],
  },
  {
    title: '[TC-5] Reserved book message in full',
    kind: 'negative',
    priority: 'high',
    preconditions: ['Member ana@example.org has "Dune" on loan; li@example.org has reserved it'],
    steps: [
      { action: 'Open "My loans" as ana@example.org' },
      {
        action: 'Select "Renew" next to "Dune" and then "Confirm"',
        expected:
          'The message "This book is reserved and cannot be renewed" is shown and the due date stays 2026-03-10',
      },
    ],
    covers: ['AC-2'],
  },
  {
    title: 'Renewal confirmation email',
    kind: 'positive',
    priority: 'medium',
    preconditions: ['Member ana@example.org has "Dune" on loan, due 2026-03-10'],
    steps: [
      { action: 'Renew "Dune" from "My loans" as ana@example.org' },
      {
        action: 'Open the inbox of ana@example.org',
        expected: 'An email "Your renewal of Dune" with due date 2026-03-24 arrived',
      },
    ],
    covers: ['AC-4'],
  },
];

const answer = (cases: WireCase[]) => JSON.stringify({ testCases: cases });
/** The same junk, answered as rewrites (titled with their ids). */
const sameJunkAsRewrites = junkCases.map((testCase, index) => ({
  ...testCase,
  title: `[TC-${index + 1}] ${testCase.title}`,
}));

let endpoint: FakeLlmEndpoint;
let dataDirectory: string;
let requestsBefore = 0;

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({ apiKey });
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-repair-'));
});
afterAll(async () => {
  await endpoint.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});
beforeEach(() => {
  requestsBefore = endpoint.completionRequests().length;
});
const requestsMade = () => endpoint.completionRequests().slice(requestsBefore);

function queue(...texts: string[]) {
  endpoint.setScenario({
    queue: texts.map((text) => ({ kind: 'answer', text })),
    // A third request would be a loop: answer it with an error the test would see.
    default: { kind: 'error', status: 500 },
  });
}

async function generate(repair: boolean): Promise<GenerationOutput> {
  return generateForStory({
    story,
    format: 'manual',
    repair,
    engine: {
      kind: 'llm',
      responseMode: 'json_object',
      provider: ProviderConfigSchema.parse({
        name: 'repair',
        baseUrl: endpoint.url,
        apiKey,
        model: 'fake-model',
        limits: { maxRetries: 0 },
      }),
    },
  });
}

function promptOf(request: { body: unknown } | undefined): string {
  const body = request?.body as { messages?: Array<{ content?: unknown }> } | undefined;
  return (body?.messages ?? []).map((message) => String(message.content)).join('\n');
}

describe('the repair round', () => {
  it('gives every junk case an error finding and the story a low score', async () => {
    queue(answer(junkCases), answer([]));
    const output = await generate(false);
    expect(output.testCases).toHaveLength(junkCases.length);
    for (const caseQuality of output.quality.cases) {
      expect(
        caseQuality.findings.some((finding) => finding.severity === 'error'),
        `${caseQuality.testCaseId} has an error finding`,
      ).toBe(true);
      expect(caseQuality.score).toBeLessThanOrEqual(75);
    }
    const rules = new Set(output.quality.findings.map((finding) => finding.rule));
    for (const rule of [
      'step-not-actionable',
      'result-not-observable',
      'duplicate-steps',
      'result-restates-criterion',
      'broken-text',
    ])
      expect(rules, rule).toContain(rule);
    expect(output.quality.score).toBeLessThan(40);
    expect(output.repairs).toEqual([]);
  });

  it('sends the junk back once with its findings and the uncovered criterion, and takes the better rewrites', async () => {
    queue(answer(junkCases), answer(repairedCases));
    const output = await generate(true);
    const requests = requestsMade();
    expect(requests).toHaveLength(2);
    const followUp = promptOf(requests[1]);
    expect(followUp).toContain('<cases_to_repair>');
    expect(followUp).toContain('[TC-5] Reserved book message');
    expect(followUp).toMatch(/cannot be observed/);
    expect(followUp).toContain('not covered yet: AC-4');

    expect(output.repairs.map((repair) => [repair.testCaseId, repair.outcome])).toEqual([
      ['TC-1', 'replaced'],
      ['TC-2', 'replaced'],
      ['TC-3', 'replaced'],
      ['TC-4', 'replaced'],
      ['TC-5', 'replaced'],
    ]);
    expect(output.repairs.find((repair) => repair.testCaseId === 'TC-4')?.rules).toContain(
      'result-restates-criterion',
    );
    expect(output.testCases.map((testCase) => testCase.title)).toEqual([
      'First renewal of a loan moves the due date',
      'A reserved book cannot be renewed',
      'A third renewal is refused',
      'Renewal sets the due date 14 days later',
      'Reserved book message in full',
      'Renewal confirmation email',
    ]);
    expect(output.uncovered).toEqual([]);
    expect(output.quality.counts.error).toBe(0);
    expect(output.quality.score).toBeGreaterThan(60);
    expect(output.warnings.join('\n')).toMatch(/Repaired TC-1 \(/);
  });

  it('keeps and flags the cases when the model answers the repair with the same junk, and asks no more', async () => {
    queue(answer(junkCases), answer(sameJunkAsRewrites));
    const output = await generate(true);
    expect(requestsMade()).toHaveLength(2);
    expect(output.repairs.every((repair) => repair.outcome === 'kept')).toBe(true);
    expect(output.repairs).toHaveLength(junkCases.length);
    expect(output.testCases.map((testCase) => testCase.title)).toEqual(
      junkCases.map((testCase) => testCase.title),
    );
    for (const caseQuality of output.quality.cases)
      expect(caseQuality.findings.some((finding) => finding.severity === 'error')).toBe(true);
    expect(output.testCases[0]?.warnings.join('\n')).toMatch(/the rewrite was no better/);
    expect(output.quality.score).toBeLessThan(40);
  });

  it('shows the repairs in `reqase generate`: a line per outcome, and `repairs` in --json', async () => {
    const file = join(dataDirectory, 'renew.md');
    writeFileSync(file, storyMarkdown);
    const env = { REQASE_BASE_URL: endpoint.url, REQASE_API_KEY: apiKey, REQASE_MODEL: 'fake-model' };

    queue(answer(junkCases), answer(repairedCases));
    const readable = await runReqase(['generate', file, '--no-stream'], { dataDirectory, env });
    expect(readable.code).toBe(0);
    expect(readable.stdout).toMatch(/Repaired: TC-1 \(step-not-actionable/);
    expect(readable.stdout).toMatch(/Quality: \d+\/100/);
    expect(readable.stdout).toMatch(/quality \d+\/100/);

    queue(answer(junkCases), answer(sameJunkAsRewrites));
    const json = await runReqase(['generate', file, '--json'], { dataDirectory, env });
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout) as GenerationOutput;
    expect(document.repairs.map((repair) => repair.outcome)).toEqual([
      'kept',
      'kept',
      'kept',
      'kept',
      'kept',
    ]);
    expect(document.quality.score).toBeLessThan(40);
  });
});
