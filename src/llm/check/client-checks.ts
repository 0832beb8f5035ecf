/**
 * Checks through the eyes of Reqase Lite itself: `openai-client` (the official `openai` package
 * reads the answer) and `test-generation` (a tiny generation is read as test cases by the parser
 * the app injects; this folder does not depend on core).
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { completionView, helloRequest, probe, shorten, type ProbeContext } from './probe.ts';
import type { CheckResult, ParseTestCases } from './types.ts';

/** `openai-client`: the official `openai` package parses the answer without error. */
export async function checkOpenAiClient(context: ProbeContext): Promise<CheckResult> {
  const defaultHeaders: Record<string, string | null> = { ...context.extraHeaders };
  if (context.apiKey && context.authHeader !== 'authorization')
    defaultHeaders[context.authHeader] = context.apiKey;
  // As the client does: no key means no Authorization header, not a made-up one.
  if (!context.apiKey) defaultHeaders.Authorization = null;
  const client = new OpenAI({
    baseURL: context.baseUrl,
    apiKey: context.apiKey ?? 'no-key',
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: context.timeoutMilliseconds,
    defaultHeaders,
    logLevel: 'off',
    fetch: context.fetch,
  });
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const fix =
    'Reqase Lite talks to the endpoint through the official openai package: make the answer a JSON chat completion (`Content-Type: application/json`, `choices[0].message.content`), as the checks above describe.';
  try {
    const answer = (await client.chat.completions.create(
      helloRequest(context.model) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
      context.signal ? { signal: context.signal } : {},
    )) as unknown;
    if (typeof answer === 'string') {
      return {
        id: 'openai-client',
        status: 'fail',
        message:
          'The openai package received text, not JSON (the answer’s content type is not application/json).',
        fix,
        ms: elapsed(),
      };
    }
    const record = answer && typeof answer === 'object' ? (answer as Record<string, unknown>) : undefined;
    const choices = record?.choices;
    const message = Array.isArray(choices)
      ? ((choices[0] as { message?: { content?: unknown } } | undefined)?.message ?? undefined)
      : undefined;
    if (!message) {
      return {
        id: 'openai-client',
        status: 'fail',
        message: 'The openai package returned an answer without `choices[0].message`.',
        fix,
        ms: elapsed(),
      };
    }
    if (typeof message.content !== 'string' || message.content === '') {
      return {
        id: 'openai-client',
        status: 'fail',
        message: `The openai package returned \`choices[0].message.content\` as ${message.content === undefined ? 'undefined' : JSON.stringify(message.content).slice(0, 40)}, not text.`,
        fix,
        ms: elapsed(),
      };
    }
    return {
      id: 'openai-client',
      status: 'pass',
      message: `The openai package reads the answer: "${shorten(message.content, 60)}".`,
      ms: elapsed(),
    };
  } catch (error) {
    if (context.signal?.aborted) throw context.signal.reason;
    return {
      id: 'openai-client',
      status: 'fail',
      message: `The openai package raised ${describeClientError(error)}.`,
      fix,
      ms: elapsed(),
    };
  }
}

function describeClientError(error: unknown): string {
  if (error instanceof APIConnectionTimeoutError) return 'a timeout (no answer in time)';
  if (error instanceof APIConnectionError) return `a connection error (${error.message})`;
  if (error instanceof APIError)
    return `${error.constructor.name} (HTTP ${String(error.status)}): ${shorten(error.message, 160)}`;
  if (error instanceof Error) return `${error.name}: ${shorten(error.message, 160)}`;
  return String(error);
}

/** `test-generation`: a tiny generation request returns test cases Reqase Lite can parse. */
export async function checkTestGeneration(
  context: ProbeContext,
  parseTestCases: ParseTestCases | undefined,
): Promise<CheckResult> {
  if (!parseTestCases) {
    return {
      id: 'test-generation',
      status: 'skip',
      message: 'Skipped: no test case parser was given (the command line and web app give one).',
      ms: 0,
    };
  }
  const view = await probe(context, {
    method: 'POST',
    path: '/chat/completions',
    body: {
      model: context.model,
      messages: [
        {
          role: 'system',
          content:
            'You write software test cases. Answer with JSON only: an object with a key testCases holding an array of test cases, each with title, steps (an array of objects with action and expectedResult) and priority.',
        },
        {
          role: 'user',
          content:
            'Story: As a registered user I want to log in with my email and password. Acceptance criteria: 1. Valid credentials open the dashboard. 2. A wrong password shows an error. Write 2 test cases.',
        },
      ],
      temperature: 0.2,
      max_tokens: 1000,
    },
  }).then(completionView);
  const fix =
    'Use a model that follows instructions well enough to write test cases (an instruction-tuned model of 7B parameters or more), and check json-mode above; Reqase Lite also reads "Test Case 1:" text, Markdown tables and Gherkin.';
  if (!view.ok) {
    return {
      id: 'test-generation',
      status: 'warn',
      message: `The tiny generation request failed: ${view.problem}.`,
      fix,
      ms: view.ms,
    };
  }
  const parsed = parseTestCases(view.content ?? '');
  if ('count' in parsed && parsed.count > 0) {
    return {
      id: 'test-generation',
      status: 'pass',
      message: `A tiny generation gave ${parsed.count} test case(s) Reqase Lite can read.`,
      ms: view.ms,
    };
  }
  return {
    id: 'test-generation',
    status: 'warn',
    message:
      'error' in parsed
        ? `The answer to a tiny generation could not be read as test cases: ${shorten(parsed.error, 200)}`
        : 'The answer to a tiny generation held no test cases.',
    fix,
    ms: view.ms,
  };
}
