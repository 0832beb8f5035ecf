import {
  createStreamingCaseParser,
  parseModelAnswer,
  type AnswerLayout,
  type ParsedAnswer,
} from '../answer/index.ts';
import type { AnswerError } from '../answer/errors.ts';
import { extractConstraints, type Constraint } from '../constraints/index.ts';
import type { Story, TestCase, TestFormat, TestKind, Usage } from '../model.ts';
import type { ChatMessage, CompletionAnswer, LanguageModel } from '../ports.ts';
import { buildGenerationPrompt, type ExistingCase, type ResponseMode } from '../prompt/index.ts';
import {
  assessQuality,
  buildCoverage,
  findingText,
  lintTestCase,
  lintTestCases,
  textSimilarity,
  type CaseQuality,
  type CaseRepair,
  type QualityFinding,
  type QualityOptions,
  type StoryQuality,
} from '../quality/index.ts';
import type { Result } from '../../shared/result.ts';
import { NoTestCasesError, isResponseFormatUnsupported } from './errors.ts';

/** Progress of one generation, as it happens. */
export type GenerationEvent =
  | { kind: 'generation-start'; responseMode: ResponseMode; purpose: RequestPurpose }
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

/** Why a request is made: the first answer, or the one follow-up (repair and/or coverage gaps). */
export type RequestPurpose = 'cases' | 'fill-gaps' | 'repair';

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
  /**
   * Send the cases with error findings back to the model once, with the findings; a rewrite
   * replaces a case only when it has fewer findings. Shares the one follow-up request with
   * `fillGaps`. Default false.
   */
  repair?: boolean;
  /**
   * Tokens (prompt and answer, estimated at 4 characters a token before the request) the whole
   * generation may use; the follow-up request is left out, or sends fewer cases, to stay inside.
   * Default: no limit.
   */
  tokenBudget?: number;
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
  findings: QualityFinding[];
  /** The quality score of the story and each case, with the findings. */
  quality: StoryQuality;
  /** What the repair round did, one entry per case sent back (empty when none was). */
  repairs: CaseRepair[];
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

  const first = await requestCases(options, {
    ...plan,
    modes: modesFrom(options.responseMode),
    purpose: 'cases',
    existingCases: options.existingCases ?? [],
    streamCases: true,
  });
  if (!first.parsed.ok) throw new NoTestCasesError(first.parsed.error);
  first.parsed.value.warnings.forEach(warn);
  const followUp = await followUpRound(options, first.parsed.value.testCases, {
    ...plan,
    mode: first.mode,
    usage: first.answer.usage,
    qualityOptions,
  });
  const truncated = first.parsed.value.truncated || followUp.truncated;

  const lint = lintTestCases(followUp.testCases, qualityOptions);
  const testCases = lint.testCases;
  for (const finding of lint.findings) if (!finding.testCaseId) warn(findingText(finding));
  warnAboutAskedShape(options, testCases, warn);

  const { coverage, uncovered } = buildCoverage(options.story, testCases);
  if (uncovered.length) warn(`No test case covers ${uncovered.join(', ')}.`);
  const latencyMs = Math.round(now() - started);
  const usage = followUp.usage;
  emit({ kind: 'generation-end', testCaseCount: testCases.length, uncovered, truncated, usage, latencyMs });
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
    latencyMs,
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

interface FollowUpPlan {
  constraints: readonly Constraint[];
  mode: ResponseMode;
  usage: Usage;
  qualityOptions: QualityOptions;
  warn: (message: string) => void;
  emit: (event: GenerationEvent) => void;
}

interface FollowUpOutcome {
  testCases: TestCase[];
  repairs: CaseRepair[];
  usage: Usage;
  truncated: boolean;
}

/** Characters per token when estimating a request before it is sent. */
const CHARACTERS_PER_TOKEN = 4;

/**
 * The one follow-up request: the cases with error findings go back with their findings (as many
 * as the token budget allows), and criteria no case covers are asked for, in the same request.
 * Never a second follow-up, whatever the answer: a rewrite that is no better is kept out.
 */
async function followUpRound(
  options: GenerateTestCasesOptions,
  firstCases: TestCase[],
  plan: FollowUpPlan,
): Promise<FollowUpOutcome> {
  const unchanged = { testCases: firstCases, repairs: [], usage: plan.usage, truncated: false };
  const quality = assessQuality(firstCases, plan.qualityOptions);
  const { uncovered } = buildCoverage(options.story, firstCases);
  const gaps = options.fillGaps && uncovered.length > 0 ? uncovered : [];
  const broken = options.repair
    ? quality.cases
        .map((caseQuality) => ({
          caseQuality,
          errors: caseQuality.findings.filter((finding) => finding.severity === 'error'),
        }))
        .filter(({ errors }) => errors.length > 0)
    : [];
  if (gaps.length === 0 && broken.length === 0) return unchanged;

  const repairs: CaseRepair[] = broken.map(({ caseQuality, errors }) => ({
    testCaseId: caseQuality.testCaseId,
    outcome: 'not-sent',
    rules: [...new Set(errors.map((finding) => finding.rule))],
    findingsBefore: caseQuality.findings.length,
  }));
  const toRepair = withinBudget(options, plan.usage, firstCases, broken, plan.warn);
  if (toRepair.length === 0 && gaps.length === 0) return { ...unchanged, repairs };

  const outcome = await requestCases(options, {
    constraints: plan.constraints,
    modes: [plan.mode],
    purpose: toRepair.length > 0 ? 'repair' : 'fill-gaps',
    ...(gaps.length ? { onlyCriteria: gaps } : {}),
    ...(toRepair.length ? { repairCases: toRepair } : {}),
    existingCases: [...(options.existingCases ?? []), ...firstCases],
    warn: plan.warn,
    emit: plan.emit,
    streamCases: false,
  });
  const usage = addUsage(plan.usage, outcome.answer.usage);
  if (!outcome.parsed.ok) {
    plan.warn(`The follow-up request gave no test case: ${outcome.parsed.error.message}`);
    return { ...unchanged, repairs, usage };
  }
  outcome.parsed.value.warnings.forEach((message) => plan.warn(`Follow-up request: ${message}`));

  const { rewrites, added } = splitRewrites(outcome.parsed.value.testCases, toRepair.length > 0);
  let testCases = applyRewrites(firstCases, rewrites, repairs, quality, plan);
  const fresh = mergeWithoutDuplicates(testCases, added);
  for (const testCase of fresh) plan.emit({ kind: 'test-case-end', testCase });
  testCases = [...testCases, ...fresh];
  return { testCases, repairs, usage, truncated: outcome.parsed.value.truncated };
}

/** The broken cases whose text fits the token budget left after the first request. */
function withinBudget(
  options: GenerateTestCasesOptions,
  used: Usage,
  firstCases: readonly TestCase[],
  broken: ReadonlyArray<{ caseQuality: CaseQuality; errors: QualityFinding[] }>,
  warn: (message: string) => void,
): NonNullable<RequestPlan['repairCases']> {
  const selected: NonNullable<RequestPlan['repairCases']> = [];
  // The follow-up resends about the first prompt and answers about one case per case sent.
  let left = options.tokenBudget === undefined ? Infinity : options.tokenBudget - 2 * used.totalTokens;
  for (const { caseQuality } of broken) {
    const testCase = firstCases.find((candidate) => candidate.id === caseQuality.testCaseId);
    if (!testCase) continue;
    const cost = Math.ceil((2 * JSON.stringify(testCase).length) / CHARACTERS_PER_TOKEN);
    if (cost > left) continue;
    left -= cost;
    selected.push({ testCase, findings: caseQuality.findings });
  }
  if (selected.length < broken.length) {
    const skipped = broken.filter(
      ({ caseQuality }) => !selected.some((item) => item.testCase.id === caseQuality.testCaseId),
    );
    warn(
      `${skipped.map(({ caseQuality }) => caseQuality.testCaseId).join(', ')} not sent for repair: the token budget (${options.tokenBudget}) would be exceeded.`,
    );
  }
  return selected;
}

/** Rewrites are the cases titled `[TC-n] …`; the others are new cases for uncovered criteria. */
function splitRewrites(
  answered: readonly TestCase[],
  repairing: boolean,
): { rewrites: Map<string, TestCase>; added: TestCase[] } {
  const rewrites = new Map<string, TestCase>();
  const added: TestCase[] = [];
  for (const testCase of answered) {
    const match = repairing ? /^\s*\[(TC-\d+)\]\s*/i.exec(testCase.title) : null;
    if (match?.[1] && !rewrites.has(match[1].toUpperCase())) {
      const id = match[1].toUpperCase();
      rewrites.set(id, { ...testCase, id, title: testCase.title.slice(match[0].length) || testCase.title });
    } else added.push(testCase);
  }
  return { rewrites, added };
}

/** Each rewrite takes its case's place only when the set then has fewer findings about it. */
function applyRewrites(
  firstCases: readonly TestCase[],
  rewrites: ReadonlyMap<string, TestCase>,
  repairs: CaseRepair[],
  quality: StoryQuality,
  plan: FollowUpPlan,
): TestCase[] {
  let testCases = [...firstCases];
  for (const repair of repairs) {
    const rewrite = rewrites.get(repair.testCaseId);
    if (!rewrite) continue;
    const candidate = testCases.map((testCase) => (testCase.id === repair.testCaseId ? rewrite : testCase));
    const after = assessQuality(candidate, plan.qualityOptions).cases.find(
      (caseQuality) => caseQuality.testCaseId === repair.testCaseId,
    );
    repair.findingsAfter = after?.findings.length ?? 0;
    const before = quality.cases.find((caseQuality) => caseQuality.testCaseId === repair.testCaseId);
    if (repair.findingsAfter < (before?.findings.length ?? 0)) {
      repair.outcome = 'replaced';
      testCases = candidate.map((testCase) =>
        testCase.id === repair.testCaseId
          ? {
              ...testCase,
              warnings: [
                ...testCase.warnings,
                `Repaired by the model (${repair.rules.join(', ')}): ${repair.findingsBefore} findings before, ${repair.findingsAfter} after.`,
              ],
            }
          : testCase,
      );
    } else {
      repair.outcome = 'kept';
      testCases = testCases.map((testCase) =>
        testCase.id === repair.testCaseId
          ? {
              ...testCase,
              warnings: [
                ...testCase.warnings,
                `Sent back to the model for ${repair.rules.join(', ')}; the rewrite was no better (${repair.findingsAfter} findings), so the original is kept.`,
              ],
            }
          : testCase,
      );
    }
  }
  const replaced = repairs.filter((repair) => repair.outcome === 'replaced');
  const kept = repairs.filter((repair) => repair.outcome === 'kept');
  if (replaced.length)
    plan.warn(
      `Repaired ${replaced.map((repair) => `${repair.testCaseId} (${repair.rules.join(', ')})`).join(', ')}.`,
    );
  if (kept.length)
    plan.warn(
      `Repair gave no better version of ${kept.map((repair) => repair.testCaseId).join(', ')}; kept as generated, with their findings.`,
    );
  return testCases;
}

function modesFrom(mode: GenerateTestCasesOptions['responseMode']): ResponseMode[] {
  if (!mode || mode === 'auto') return [...MODE_CHAIN];
  return MODE_CHAIN.slice(MODE_CHAIN.indexOf(mode));
}

interface RequestPlan {
  constraints: readonly Constraint[];
  modes: ResponseMode[];
  purpose: RequestPurpose;
  onlyCriteria?: string[];
  repairCases?: Array<{ testCase: TestCase; findings: readonly QualityFinding[] }>;
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
      ...(plan.repairCases ? { repairCases: plan.repairCases } : {}),
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
