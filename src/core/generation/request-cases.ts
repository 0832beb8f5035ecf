import { createStreamingCaseParser, parseModelAnswer, type ParsedAnswer } from '../answer/index.ts';
import type { AnswerError } from '../answer/errors.ts';
import { type Constraint } from '../constraints/index.ts';
import type { TestCase, Usage } from '../model.ts';
import type { ChatMessage, CompletionAnswer } from '../ports.ts';
import { buildGenerationPrompt, type ExistingCase, type ResponseMode } from '../prompt/index.ts';
import { textSimilarity, type QualityFinding } from '../quality/index.ts';
import type { Result } from '../../shared/result.ts';
import { isResponseFormatUnsupported } from './errors.ts';
import type { GenerateTestCasesOptions, GenerationEvent, RequestPurpose } from './generation-options.ts';

const MODE_CHAIN: readonly ResponseMode[] = ['json_schema', 'json_object', 'text'];

export function modesFrom(mode: GenerateTestCasesOptions['responseMode']): ResponseMode[] {
  if (!mode || mode === 'auto') return [...MODE_CHAIN];
  return MODE_CHAIN.slice(MODE_CHAIN.indexOf(mode));
}

export interface RequestPlan {
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

export interface RequestOutcome {
  answer: CompletionAnswer;
  parsed: Result<ParsedAnswer, AnswerError>;
  mode: ResponseMode;
  messages: ChatMessage[];
}

/** One request, moving down the response modes while the endpoint rejects them. */
export async function requestCases(
  options: GenerateTestCasesOptions,
  plan: RequestPlan,
): Promise<RequestOutcome> {
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
export function mergeWithoutDuplicates(
  existing: readonly TestCase[],
  added: readonly TestCase[],
): TestCase[] {
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

/** The sum of two calls' usage; cached tokens are summed when either call reported them. */
export function addUsage(left: Usage, right: Usage): Usage {
  const cached =
    left.cachedTokens === undefined && right.cachedTokens === undefined
      ? undefined
      : (left.cachedTokens ?? 0) + (right.cachedTokens ?? 0);
  return {
    promptTokens: left.promptTokens + right.promptTokens,
    completionTokens: left.completionTokens + right.completionTokens,
    totalTokens: left.totalTokens + right.totalTokens,
    estimated: left.estimated || right.estimated,
    ...(cached === undefined ? {} : { cachedTokens: cached }),
  };
}
