import {
  visibleGeneration,
  type GenerationOutput,
  type CaseRepair,
  type StoryQuality,
  type TestCase,
} from '../app/index.ts';
import { paint, type Terminal } from './terminal.ts';

/** One test case as a readable block. */
export function renderTestCase(
  testCase: TestCase,
  terminal: Pick<Terminal, 'color'>,
  /** The case's quality score, when known (shown next to its kind). */
  score?: number,
): string {
  const lines: string[] = [];
  const covers = testCase.covers.length ? `  covers ${testCase.covers.join(', ')}` : '';
  const quality = score === undefined ? '' : ` · quality ${score}/100`;
  lines.push(
    `${paint(terminal, 'bold', `${testCase.id}  ${testCase.title}`)}`,
    paint(terminal, 'dim', `    ${testCase.kind} · ${testCase.priority}${covers}${quality}`),
  );
  if (testCase.preconditions.length) {
    lines.push('    Preconditions:');
    for (const precondition of testCase.preconditions) lines.push(`      - ${precondition}`);
  }
  if (testCase.gherkin) {
    lines.push(
      ...testCase.gherkin
        .trimEnd()
        .split('\n')
        .map((line) => `    ${line}`),
    );
  } else {
    testCase.steps.forEach((step, index) => {
      lines.push(`    ${index + 1}. ${step.action}`);
      if (step.data) lines.push(`       Data: ${step.data}`);
      if (step.expected) lines.push(`       ${paint(terminal, 'green', 'Expected:')} ${step.expected}`);
    });
  }
  for (const warning of testCase.warnings) lines.push(`    ${paint(terminal, 'yellow', '!')} ${warning}`);
  return lines.join('\n');
}

/** The header printed before a story's test cases. */
export function renderStoryHeader(
  output: Pick<GenerationOutput, 'story'>,
  terminal: Pick<Terminal, 'color'>,
): string {
  return paint(terminal, 'cyan', `${output.story.key}: ${output.story.summary}`);
}

/** Everything after the test cases: coverage, uncovered criteria, warnings, usage. */
export function renderGenerationSummary(output: GenerationOutput, terminal: Pick<Terminal, 'color'>): string {
  const lines: string[] = [];
  const criteria = output.story.acceptanceCriteria;
  if (criteria.length) {
    lines.push(paint(terminal, 'bold', 'Coverage'));
    for (const criterion of criteria) {
      const cases = output.coverage[criterion.id] ?? [];
      const mark = cases.length ? paint(terminal, 'green', '✓') : paint(terminal, 'red', '✗');
      const text = criterion.text.length > 70 ? `${criterion.text.slice(0, 67)}…` : criterion.text;
      lines.push(
        `  ${mark} ${criterion.id}  ${text}  ${paint(terminal, 'dim', cases.join(', ') || 'not covered')}`,
      );
    }
  }
  if (output.uncovered.length) {
    lines.push(paint(terminal, 'red', `Not covered: ${output.uncovered.join(', ')}`));
  }
  if (output.truncated) {
    lines.push(
      paint(terminal, 'yellow', 'The answer was cut at the token limit; only complete test cases were kept.'),
    );
  }
  for (const warning of output.warnings) lines.push(`${paint(terminal, 'yellow', 'Warning:')} ${warning}`);
  lines.push(...renderRepairs(output.repairs, terminal));
  lines.push(renderQualityLine(output.quality, terminal));
  const engine =
    output.engine === 'rules'
      ? 'offline rules engine (cases marked "rules", not AI)'
      : `${output.provider?.model ?? 'model'} at ${output.provider?.baseUrl ?? ''}`;
  const usage = output.usage
    ? `, ${output.usage.totalTokens} tokens${output.usage.estimated ? ' (estimated)' : ''}${cachedText(output.usage)}`
    : '';
  lines.push(
    paint(
      terminal,
      'dim',
      `${output.testCases.length} test cases by ${engine} in ${(output.latencyMilliseconds / 1000).toFixed(1)} s${usage}`,
    ),
  );
  return lines.join('\n');
}

/** The whole readable listing of one story's generation (used for `--out` and non-streamed output). */
export function renderGeneration(output: GenerationOutput, terminal: Pick<Terminal, 'color'>): string {
  return [
    renderStoryHeader(output, terminal),
    '',
    ...output.testCases.map(
      (testCase) =>
        `${renderTestCase(testCase, terminal, output.quality.cases.find((quality) => quality.testCaseId === testCase.id)?.score)}\n`,
    ),
    renderGenerationSummary(output, terminal),
  ].join('\n');
}

/** The `--json` document of one story's generation: the shape issue #4 promises, audit data left out. */
export const generationJson = visibleGeneration;

/** `Quality: 72/100 (1 error, 4 warnings)`, coloured by the score. */
export function renderQualityLine(quality: StoryQuality, terminal: Pick<Terminal, 'color'>): string {
  const { error, warning, info } = quality.counts;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const colour = quality.score >= 80 ? 'green' : quality.score >= 50 ? 'yellow' : 'red';
  return `${paint(terminal, 'bold', 'Quality:')} ${paint(terminal, colour, `${quality.score}/100`)} (${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(info, 'info')})`;
}

/** One line per outcome of the repair round: which cases were repaired and for which rules. */
export function renderRepairs(repairs: readonly CaseRepair[], terminal: Pick<Terminal, 'color'>): string[] {
  const describe = (outcome: CaseRepair['outcome']) =>
    repairs
      .filter((repair) => repair.outcome === outcome)
      .map((repair) => `${repair.testCaseId} (${repair.rules.join(', ')})`)
      .join(', ');
  const lines: string[] = [];
  if (describe('replaced')) lines.push(`${paint(terminal, 'green', 'Repaired:')} ${describe('replaced')}`);
  if (describe('kept'))
    lines.push(`${paint(terminal, 'yellow', 'Repair not better, kept as generated:')} ${describe('kept')}`);
  if (describe('not-sent'))
    lines.push(`${paint(terminal, 'yellow', 'Not repaired:')} ${describe('not-sent')}`);
  return lines;
}

/** ", 1536 of 2048 prompt tokens cached" when the provider reported its prompt cache, else nothing. */
function cachedText(usage: NonNullable<GenerationOutput['usage']>): string {
  return usage.cachedTokens === undefined
    ? ''
    : `, ${usage.cachedTokens} of ${usage.promptTokens} prompt tokens cached`;
}
