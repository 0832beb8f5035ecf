/**
 * first test case: with streaming, the time from the request to the first test case shown,
 * against the time the endpoint's stream had delivered that case's last byte (a bare `openai`
 * stream on the same endpoint and answer, measured in the same run).
 */
import OpenAI from 'openai';
import { generateForStory } from '../src/app/generation.ts';
import { ProviderConfigSchema } from '../src/llm/index.ts';
import { startFakeLlmEndpoint, type LatencyModel } from '../test/support/fake-llm-endpoint.ts';
import { loadStory, modelAnswerFor } from './overhead.ts';
import { median, type Figure } from './support.ts';

export async function benchmarkFirstTestCase(options: {
  iterations: number;
  latency: LatencyModel;
}): Promise<Figure[]> {
  const story = loadStory('examples/stories/login.md');
  const answer = modelAnswerFor(story);
  const parsed = JSON.parse(answer) as { testCases: unknown[] };
  // The first case's JSON ends where the second one begins.
  const firstCaseEnd = answer.indexOf(JSON.stringify(parsed.testCases[1])) - 1;
  const endpoint = await startFakeLlmEndpoint({
    latency: options.latency,
    scenario: { default: { kind: 'answer', text: answer } },
  });
  const provider = ProviderConfigSchema.parse({
    name: 'bench',
    baseUrl: endpoint.url,
    model: 'fake-model',
    apiKey: 'sk-bench-0000000000000000',
    maxTokens: 8000,
  });
  const bare = new OpenAI({ baseURL: endpoint.url, apiKey: provider.apiKey, maxRetries: 0 });
  const ours: number[] = [];
  const bytes: number[] = [];
  const whole: number[] = [];
  try {
    for (let index = 0; index <= options.iterations; index += 1) {
      let received = '';
      let firstCaseBytesAt = NaN;
      const startedBare = performance.now();
      const stream = await bare.chat.completions.create({
        model: provider.model,
        messages: [{ role: 'user', content: 'x' }],
        max_tokens: provider.maxTokens,
        stream: true,
      });
      for await (const chunk of stream) {
        received += chunk.choices[0]?.delta.content ?? '';
        if (Number.isNaN(firstCaseBytesAt) && received.length > firstCaseEnd)
          firstCaseBytesAt = performance.now() - startedBare;
      }

      let firstShownAt = NaN;
      const startedOurs = performance.now();
      await generateForStory({
        story,
        format: 'manual',
        stream: true,
        fillGaps: false,
        engine: { kind: 'llm', provider, responseMode: 'json_schema' },
        onEvent: (event) => {
          if (event.kind === 'test-case-end' && Number.isNaN(firstShownAt))
            firstShownAt = performance.now() - startedOurs;
        },
      });
      const wholeMilliseconds = performance.now() - startedOurs;
      if (index === 0) continue; // warm-up
      ours.push(firstShownAt);
      bytes.push(firstCaseBytesAt);
      whole.push(wholeMilliseconds);
    }
  } finally {
    await endpoint.close();
  }
  return [
    {
      benchmark: 'first test case',
      metric: 'first case shown, median',
      value: median(ours),
      unit: 'ms',
      baseline: median(bytes),
      baselineLabel: "that case's last byte received",
      note: `whole answer ${median(whole).toFixed(0)} ms; first token ${options.latency.timeToFirstTokenMilliseconds ?? 0} ms, ${options.latency.tokensPerSecond} tokens/s`,
    },
  ];
}
