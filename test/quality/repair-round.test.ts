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
import { ProviderConfigSchema } from '../../src/llm/index.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { runReqase } from '../support/reqase-process.ts';
import {
  answer,
  apiKey,
  junkCases,
  repairedCases,
  sameJunkAsRewrites,
  story,
  storyMarkdown,
} from './renewal-fixture.ts';

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

  // Two real CLI processes: allow for a loaded two-core machine.
  it(
    'shows the repairs in `reqase generate`: a line per outcome, and `repairs` in --json',
    { timeout: 120_000 },
    async () => {
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
    },
  );
});
