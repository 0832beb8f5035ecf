/**
 * check: `runEndpointCheck` (what `reqase check` runs) on a compliant fake endpoint, against one
 * bare `openai` call on the same endpoint; and on an endpoint that never answers, against the
 * timeout (a hang must cost about one timeout, not one per check).
 */
import OpenAI from 'openai';
import { parseCheckTestCases } from '../src/app/check-endpoint.ts';
import { runEndpointCheck } from '../src/llm/check/index.ts';
import {
  startFakeLlmEndpoint,
  type ChatCompletionRequestBody,
  type LatencyModel,
} from '../test/support/fake-llm-endpoint.ts';
import { median, type Figure } from './support.ts';

const apiKey = 'sk-bench-check-0000000000000000';

/** What a well-behaved model answers to each of the checker's requests. */
function compliantText(request: ChatCompletionRequestBody): string {
  if (request.response_format) return '{"ok": true}';
  const limit = request.max_tokens ?? request.max_completion_tokens ?? Infinity;
  if (limit < 50) return 'one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve';
  const system = request.messages?.find((message) => message.role === 'system');
  if (typeof system?.content === 'string' && system.content.includes('test cases')) {
    return JSON.stringify({
      testCases: [
        {
          title: 'Valid credentials open the dashboard',
          kind: 'positive',
          priority: 'high',
          steps: [{ action: 'Log in with valid credentials', expected: 'The dashboard is shown' }],
          covers: ['AC-1'],
        },
        {
          title: 'A wrong password shows an error',
          kind: 'negative',
          priority: 'high',
          steps: [{ action: 'Log in with a wrong password', expected: 'An error is shown' }],
          covers: ['AC-2'],
        },
      ],
    });
  }
  return 'Hello from the fake endpoint.';
}

export async function benchmarkCheck(options: {
  runs: number;
  hangRuns: number;
  hangTimeoutMilliseconds: number;
  latency: LatencyModel;
}): Promise<Figure[]> {
  const compliant = await startFakeLlmEndpoint({
    apiKey,
    latency: options.latency,
    scenario: { default: { kind: 'answer', text: compliantText } },
  });
  const hanging = await startFakeLlmEndpoint({ apiKey, scenario: { default: { kind: 'hang' } } });
  try {
    const bare = new OpenAI({ baseURL: compliant.url, apiKey, maxRetries: 0 });
    const checkTimes: number[] = [];
    const bareTimes: number[] = [];
    let requestsPerCheck = 0;
    for (let index = 0; index <= options.runs; index += 1) {
      const startedBare = performance.now();
      const completion = await bare.chat.completions.create({
        model: 'fake-model',
        messages: [{ role: 'user', content: 'Say hello.' }],
      });
      if (!completion.choices[0]?.message.content) throw new Error('the bare call got no content');
      const bareMilliseconds = performance.now() - startedBare;

      const requestsBefore = compliant.requests.length;
      const startedCheck = performance.now();
      const report = await runEndpointCheck({
        baseUrl: compliant.url,
        apiKey,
        model: 'fake-model',
        timeoutMilliseconds: 10_000,
        parseTestCases: parseCheckTestCases,
      });
      const checkMilliseconds = performance.now() - startedCheck;
      if (!report.compatible) {
        const failed = report.checks.filter((check) => check.status === 'fail').map((check) => check.id);
        throw new Error(`the compliant fake endpoint was reported incompatible (${failed.join(', ')})`);
      }
      requestsPerCheck = compliant.requests.length - requestsBefore;
      if (index === 0) continue; // warm-up
      bareTimes.push(bareMilliseconds);
      checkTimes.push(checkMilliseconds);
    }

    const hangTimes: number[] = [];
    let hangRequests = 0;
    for (let index = 0; index < options.hangRuns; index += 1) {
      const requestsBefore = hanging.requests.length;
      const started = performance.now();
      const report = await runEndpointCheck({
        baseUrl: hanging.url,
        apiKey,
        model: 'fake-model',
        timeoutMilliseconds: options.hangTimeoutMilliseconds,
        parseTestCases: parseCheckTestCases,
      });
      hangTimes.push(performance.now() - started);
      hangRequests = hanging.requests.length - requestsBefore;
      if (report.compatible) throw new Error('a hanging endpoint was reported compatible');
    }

    const latencyNote = `fake endpoint: first token ${options.latency.timeToFirstTokenMilliseconds ?? 0} ms, ${options.latency.tokensPerSecond ?? '∞'} tokens/s`;
    return [
      {
        benchmark: 'check',
        metric: 'compliant endpoint, median',
        value: median(checkTimes),
        unit: 'ms',
        baseline: median(bareTimes),
        baselineLabel: 'one bare openai call',
        note: `${latencyNote}; ${requestsPerCheck} requests per check; median of ${options.runs}`,
      },
      {
        benchmark: 'check',
        metric: 'endpoint that never answers',
        value: median(hangTimes),
        unit: 'ms',
        baseline: options.hangTimeoutMilliseconds,
        baselineLabel: 'one timeout',
        note: `${hangRequests} request(s) sent; median of ${options.hangRuns}`,
      },
    ];
  } finally {
    await compliant.close();
    await hanging.close();
  }
}
