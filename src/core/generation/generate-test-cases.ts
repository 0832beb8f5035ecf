import { extractConstraints } from '../constraints/index.ts';
import type { TestCase } from '../model.ts';
import {
  buildCoverage,
  findingText,
  lintTestCase,
  lintTestCases,
  prepareQuality,
  type QualityOptions,
} from '../quality/index.ts';
import { NoTestCasesError } from './errors.ts';
import { followUpRound } from './follow-up.ts';
import type { GenerateTestCasesOptions, GenerationEvent, GenerationResult } from './generation-options.ts';
import { modesFrom, requestCases } from './request-cases.ts';

/**
 * Generates test cases for a story with a language model: builds the layered prompt, asks for
 * structured output (falling back when the endpoint does not support it), reads the answer in
 * whatever layout it came, then makes at most one follow-up request that repairs the cases with
 * error findings and fills coverage gaps, and scores the result.
 * Throws `NoTestCasesError` when no test case could be produced.
 *
 * @example
 * const result = await generateTestCases({ story, format: 'manual', model, stream: true, repair: true,
 *   onEvent: (event) => event.kind === 'test-case-end' && show(event.testCase) });
 * remember(provider, result.responseModeUsed);
 */
export async function generateTestCases(options: GenerateTestCasesOptions): Promise<GenerationResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const qualityOptions: QualityOptions = {
    story: options.story,
    format: options.format,
    constraints: extractConstraints(options.story),
    ...(options.existingCases ? { existingCases: options.existingCases } : {}),
    ...(options.kinds ? { kinds: options.kinds } : {}),
  };
  // A case is shown with its own findings as soon as it arrives; the whole set is assessed at the end.
  const emit = (event: GenerationEvent) =>
    options.onEvent?.(
      event.kind === 'test-case-end'
        ? { ...event, testCase: lintTestCase(event.testCase, qualityOptions) }
        : event,
    );
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    emit({ kind: 'warning', message });
  };
  const plan = { constraints: qualityOptions.constraints ?? [], warn, emit };

  // The story's part of the quality rules is made while the model answers (after the request has
  // left: a timer, not now), so that only the cases are left to assess when the answer arrives.
  const preparing = setTimeout(() => prepareQuality(qualityOptions), 0);
  const first = await requestCases(options, {
    ...plan,
    modes: modesFrom(options.responseMode),
    purpose: 'cases',
    existingCases: options.existingCases ?? [],
    streamCases: true,
  }).finally(() => clearTimeout(preparing));
  if (!first.parsed.ok) throw new NoTestCasesError(first.parsed.error);
  first.parsed.value.warnings.forEach(warn);
  const followUp = await followUpRound(options, first.parsed.value.testCases, {
    ...plan,
    mode: first.mode,
    usage: first.answer.usage,
    qualityOptions,
  });
  const truncated = first.parsed.value.truncated || followUp.truncated;

  const lint = lintTestCases(followUp.testCases, qualityOptions, followUp.quality);
  const testCases = lint.testCases;
  for (const finding of lint.findings) if (!finding.testCaseId) warn(findingText(finding));
  warnAboutAskedShape(options, testCases, warn);

  const { coverage, uncovered } = buildCoverage(options.story, testCases);
  if (uncovered.length) warn(`No test case covers ${uncovered.join(', ')}.`);
  const latencyMilliseconds = Math.round(now() - started);
  const usage = followUp.usage;
  emit({
    kind: 'generation-end',
    testCaseCount: testCases.length,
    uncovered,
    truncated,
    usage,
    latencyMilliseconds,
  });
  return {
    testCases,
    coverage,
    uncovered,
    warnings,
    findings: lint.findings,
    quality: lint.quality,
    repairs: followUp.repairs,
    truncated,
    usage,
    responseModeUsed: first.mode,
    layout: first.parsed.value.layout,
    rawAnswer: first.answer.text,
    messages: first.messages,
    model: first.answer.model,
    latencyMilliseconds,
  };
}

function warnAboutAskedShape(
  options: GenerateTestCasesOptions,
  testCases: readonly TestCase[],
  warn: (message: string) => void,
): void {
  if (options.count && (testCases.length < options.count.min || testCases.length > options.count.max)) {
    warn(
      `Asked for ${options.count.min === options.count.max ? options.count.min : `${options.count.min}–${options.count.max}`} test cases, got ${testCases.length}.`,
    );
  }
  if (options.kinds?.length) {
    const others = testCases.filter((testCase) => !options.kinds?.includes(testCase.kind));
    if (others.length)
      warn(`${others.map((testCase) => testCase.id).join(', ')}: kinds that were not asked for.`);
  }
}
