import {
  createStreamingCaseParser,
  parseModelAnswer,
  type AnswerLayout,
  type ParsedAnswer,
} from '../answer/index.ts';
import type { AnswerError } from '../answer/errors.ts';
import { extractConstraints, type Constraint } from '../constraints.ts';
import type { Story, TestCase, TestFormat, TestKind, Usage } from '../model.ts';
import type { ChatMessage, CompletionAnswer, LanguageModel } from '../ports.ts';
import { buildGenerationPrompt, type ExistingCase, type ResponseMode } from '../prompt/index.ts';
import {
  buildCoverage,
  lintTestCase,
  lintTestCases,
  textSimilarity,
  type LintFinding,
} from '../quality/index.ts';
import type { Result } from '../../shared/result.ts';
import { NoTestCasesError, isResponseFormatUnsupported } from './errors.ts';

/** Progress of one generation, as it happens. */
export type GenerationEvent =
  | { kind: 'generation-start'; responseMode: ResponseMode; purpose: 'cases' | 'fill-gaps' }
  | { kind: 'text-delta'; delta: string }
  /** One per test case, as soon as its text is complete (before the answer ends when streaming). */
  | { kind: 'test-case-end'; testCase: TestCase }
  | { kind: 'warning'; message: string }
  | {
      kind: 'generation-end';
      testCaseCount: number;
      uncovered: string[];
      truncated: boolean;
      usage: Usage;
      latencyMs: number;
    };

export interface GenerateTestCasesOptions {
  story: Story;
  format: TestFormat;
  /** The port to the model; the app layer adapts the OpenAI-compatible client to it. */
  model: LanguageModel;
  /** The project's rules for test cases (naming, structure, terminology). */
  projectRules?: string;
  additionalContext?: string;
  /** How many test cases to ask for; fewer or more are kept, with a warning. */
  count?: { min: number; max: number };
  kinds?: readonly TestKind[];
  /** Priority labels, highest first. Default: high, medium, low. */
  priorities?: readonly string[];
  /** Output language. Default: the story's. */
  language?: string;
  /** Accepted cases: listed in the prompt so as not to be duplicated, and checked against. */
  existingCases?: readonly ExistingCase[];
  /**
   * How the answer's structure is requested. `auto` (default) tries `json_schema`, then
   * `json_object`, then instructions only, moving down whenever the endpoint rejects a mode; a
   * given mode starts there (e.g. the one remembered for the provider) and can still move down.
   */
  responseMode?: ResponseMode | 'auto';
  /** Ask once more for acceptance criteria no case covers. Default false. */
  fillGaps?: boolean;
  /** Stream the answer, delivering each case as soon as it is complete. Default false. */
  stream?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: GenerationEvent) => void;
  /** Milliseconds clock, for `latencyMs`. Default `performance.now`. */
  now?: () => number;
}

export interface GenerationResult {
  testCases: TestCase[];
  /** Every acceptance criterion id with the ids of the cases covering it. */
  coverage: Record<string, string[]>;
  uncovered: string[];
  /** Everything the caller should know: repairs, truncation, quality findings about the set. */
  warnings: string[];
  /** Every quality finding (those about one case are also in its `warnings`). */
  findings: LintFinding[];
  truncated: boolean;
  /** Summed over every request made. */
  usage: Usage;
  /** The mode the endpoint accepted; remember it per provider. */
  responseModeUsed: ResponseMode;
  layout: AnswerLayout;
  /** The first answer's text, as received. */
  rawAnswer: string;
  /** The messages of the first request. */
  messages: ChatMessage[];
  /** The model named by the endpoint. */
  model: string;
  latencyMs: number;
}

const MODE_CHAIN: readonly ResponseMode[] = ['json_schema', 'json_object', 'text'];

/**
 * Generates test cases for a story with a language model: builds the layered prompt, asks for
 * structured output (falling back when the endpoint does not support it), reads the answer in
 * whatever layout it came, optionally fills coverage gaps, and lints the result.
 * Throws `NoTestCasesError` when no test case could be produced.
 *
 * @example
 * const result = await generateTestCases({ story, format: 'manual', model, stream: true,
 *   onEvent: (event) => event.kind === 'test-case-end' && show(event.testCase) });
 * remember(provider, result.responseModeUsed);
 */
export async function generateTestCases(options: GenerateTestCasesOptions): Promise<GenerationResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  // A case is shown with its own findings as soon as it arrives; the whole set is linted at the end.
  const emit = (event: GenerationEvent) =>
    options.onEvent?.(
      event.kind === 'test-case-end'
        ? {
            ...event,
            testCase: lintTestCase(event.testCase, { story: options.story }).testCases[0] ?? event.testCase,
          }
        : event,
    );
  const constraints = extractConstraints(options.story);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    emit({ kind: 'warning', message });
  };

  const first = await requestCases(options, {
    constraints,
    modes: modesFrom(options.responseMode),
    purpose: 'cases',
    existingCases: options.existingCases ?? [],
    warn,
    emit,
    streamCases: true,
  });
  if (!first.parsed.ok) throw new NoTestCasesError(first.parsed.error);
  let testCases = first.parsed.value.testCases;
  first.parsed.value.warnings.forEach(warn);
  let usage = first.answer.usage;
  let truncated = first.parsed.value.truncated;

  if (options.fillGaps) {
    const { uncovered } = buildCoverage(options.story, testCases);
    if (uncovered.length > 0) {
      const followUp = await requestCases(options, {
        constraints,
        modes: [first.mode],
        purpose: 'fill-gaps',
        onlyCriteria: uncovered,
        existingCases: [...(options.existingCases ?? []), ...testCases],
        warn,
        emit,
        streamCases: false,
      });
      usage = addUsage(usage, followUp.answer.usage);
      if (followUp.parsed.ok) {
        const added = mergeWithoutDuplicates(testCases, followUp.parsed.value.testCases);
        followUp.parsed.value.warnings.forEach((message) => warn(`Follow-up request: ${message}`));
        truncated ||= followUp.parsed.value.truncated;
        for (const testCase of added) emit({ kind: 'test-case-end', testCase });
        testCases = [...testCases, ...added];
      } else {
        warn(
          `The follow-up request for uncovered criteria gave no test case: ${followUp.parsed.error.message}`,
        );
      }
    }
  }

  const lint = lintTestCases(testCases, {
    story: options.story,
    constraints,
    ...(options.existingCases ? { existingCases: options.existingCases } : {}),
    ...(options.kinds ? { kinds: options.kinds } : {}),
  });
  testCases = lint.testCases;
  for (const finding of lint.findings) if (!finding.testCaseId) warn(finding.message);
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

  const { coverage, uncovered } = buildCoverage(options.story, testCases);
  if (uncovered.length) warn(`No test case covers ${uncovered.join(', ')}.`);
  const latencyMs = Math.round(now() - started);
  emit({ kind: 'generation-end', testCaseCount: testCases.length, uncovered, truncated, usage, latencyMs });
  return {
    testCases,
    coverage,
    uncovered,
    warnings,
    findings: lint.findings,
    truncated,
    usage,
    responseModeUsed: first.mode,
    layout: first.parsed.value.layout,
    rawAnswer: first.answer.text,
    messages: first.messages,
    model: first.answer.model,
    latencyMs,
  };
}

function modesFrom(mode: GenerateTestCasesOptions['responseMode']): ResponseMode[] {
  if (!mode || mode === 'auto') return [...MODE_CHAIN];
  return MODE_CHAIN.slice(MODE_CHAIN.indexOf(mode));
}

interface RequestPlan {
  constraints: readonly Constraint[];
  modes: ResponseMode[];
  purpose: 'cases' | 'fill-gaps';
  onlyCriteria?: string[];
  existingCases: readonly ExistingCase[];
  warn: (message: string) => void;
  emit: (event: GenerationEvent) => void;
  /** Emit `test-case-end` for this request's cases (the follow-up emits after merging). */
  streamCases: boolean;
}

interface RequestOutcome {
  answer: CompletionAnswer;
  parsed: Result<ParsedAnswer, AnswerError>;
  mode: ResponseMode;
  messages: ChatMessage[];
}

/** One request, moving down the response modes while the endpoint rejects them. */
async function requestCases(options: GenerateTestCasesOptions, plan: RequestPlan): Promise<RequestOutcome> {
  for (const [index, mode] of plan.modes.entries()) {
    const prompt = buildGenerationPrompt({
      story: options.story,
      format: options.format,
      constraints: plan.constraints,
      responseMode: mode,
      existingCases: plan.existingCases,
      ...(options.projectRules ? { projectRules: options.projectRules } : {}),
      ...(options.additionalContext ? { additionalContext: options.additionalContext } : {}),
      ...(options.count ? { count: options.count } : {}),
      ...(options.kinds ? { kinds: options.kinds } : {}),
      ...(options.priorities ? { priorities: options.priorities } : {}),
      ...(options.language ? { language: options.language } : {}),
      ...(plan.onlyCriteria ? { onlyCriteria: plan.onlyCriteria } : {}),
    });
    const parseOptions = {
      format: options.format,
      story: options.story,
      ...(options.priorities ? { priorities: options.priorities } : {}),
    };
    const streaming = options.stream
      ? createStreamingCaseParser({
          ...parseOptions,
          onTestCase: (testCase) => {
            if (plan.streamCases) plan.emit({ kind: 'test-case-end', testCase });
          },
        })
      : undefined;
    plan.emit({ kind: 'generation-start', responseMode: mode, purpose: plan.purpose });
    let answer: CompletionAnswer;
    try {
      answer = await options.model.complete({
        messages: prompt.messages,
        responseFormat: prompt.responseFormat,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(streaming
          ? {
              stream: true,
              onTextDelta: (delta: string) => {
                plan.emit({ kind: 'text-delta', delta });
                streaming.push(delta);
              },
            }
          : {}),
      });
    } catch (error) {
      const next = plan.modes[index + 1];
      if (next && isResponseFormatUnsupported(error)) {
        plan.warn(`The endpoint does not support the ${mode} response format; asking again with ${next}.`);
        continue;
      }
      throw error;
    }
    answer.warnings.forEach(plan.warn);
    const parsed = streaming
      ? streaming.finish(answer.finishReason)
      : parseModelAnswer(answer.text, { ...parseOptions, finishReason: answer.finishReason });
    // An answer cut at the token limit is truncated even when the text happened to close cleanly.
    if (parsed.ok && answer.truncated && !parsed.value.truncated) {
      parsed.value.truncated = true;
      parsed.value.warnings.push('The model stopped at the token limit; more test cases may be missing.');
    }
    if (!streaming && parsed.ok && plan.streamCases) {
      for (const testCase of parsed.value.testCases) plan.emit({ kind: 'test-case-end', testCase });
    }
    return { answer, parsed, mode, messages: prompt.messages };
  }
  // Unreachable: the last mode never `continue`s.
  throw new Error('no response mode left to try');
}

/** The follow-up's cases that are not near-copies of the first ones, numbered after them. */
function mergeWithoutDuplicates(existing: readonly TestCase[], added: readonly TestCase[]): TestCase[] {
  const summary = (testCase: TestCase) =>
    [
      testCase.title,
      ...testCase.steps.map((step) => `${step.action} ${step.data ?? ''} ${step.expected ?? ''}`),
    ].join(' ');
  const kept: TestCase[] = [];
  for (const candidate of added) {
    const duplicate = [...existing, ...kept].some(
      (testCase) =>
        testCase.title.trim().toLowerCase() === candidate.title.trim().toLowerCase() ||
        textSimilarity(summary(testCase), summary(candidate)) >= 0.8,
    );
    if (!duplicate) kept.push({ ...candidate, id: `TC-${existing.length + kept.length + 1}` });
  }
  return kept;
}

function addUsage(left: Usage, right: Usage): Usage {
  return {
    promptTokens: left.promptTokens + right.promptTokens,
    completionTokens: left.completionTokens + right.completionTokens,
    totalTokens: left.totalTokens + right.totalTokens,
    estimated: left.estimated || right.estimated,
  };
}
