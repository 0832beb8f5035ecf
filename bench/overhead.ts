/**
 * overhead: one generation through Reqase Lite's pipeline (prompt build, request through the
 * client with retries/limits, parse, validate, lint, coverage, store in SQLite) against a bare
 * `openai` call that gets the same answer from the same fake endpoint. Both make exactly one
 * model call (no repair or gap-filling round, which would be a second call, not overhead).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { generateForStory } from '../src/app/generation.ts';
import { ProviderConfigSchema } from '../src/llm/index.ts';
import { buildGenerationPrompt, extractConstraints, type Story } from '../src/core/index.ts';
import { parseStoryText } from '../src/formats/index.ts';
import { openDatabase } from '../src/storage/index.ts';
import { startFakeLlmEndpoint, type LatencyModel } from '../test/support/fake-llm-endpoint.ts';
import { modelAnswerFor } from '../test/support/model-answer.ts';

export { modelAnswerFor };
import { median, percentile, type Figure } from './support.ts';

export function loadStory(path: string): Story {
  const parsed = parseStoryText(readFileSync(path), { fileName: path });
  if (!parsed.ok) throw parsed.error;
  const story = parsed.value[0];
  if (!story) throw new Error(`no story in ${path}`);
  return story;
}

export async function benchmarkOverhead(options: {
  iterations: number;
  latency: LatencyModel;
}): Promise<Figure[]> {
  const story = loadStory('examples/stories/login.md');
  const answer = modelAnswerFor(story);
  const endpoint = await startFakeLlmEndpoint({
    latency: options.latency,
    scenario: { default: { kind: 'answer', text: answer } },
  });
  const dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-bench-'));
  const storage = await openDatabase({ dataDirectory });
  try {
    const project = await storage.projects.create({ name: 'bench' });
    const stored = await storage.stories.save(project.id, { ...story, contentHash: 'bench' });
    const provider = ProviderConfigSchema.parse({
      name: 'bench',
      baseUrl: endpoint.url,
      model: 'fake-model',
      apiKey: 'sk-bench-0000000000000000',
      maxTokens: 8000,
    });
    const bare = new OpenAI({ baseURL: endpoint.url, apiKey: provider.apiKey, maxRetries: 0 });
    const prompt = buildGenerationPrompt({
      story,
      format: 'manual',
      constraints: extractConstraints(story),
      responseMode: 'json_schema',
    });

    const ours: number[] = [];
    const baseline: number[] = [];
    const added: number[] = [];
    const run = async () => {
      const startedBare = performance.now();
      const completion = await bare.chat.completions.create({
        model: provider.model,
        messages: prompt.messages,
        temperature: 0.7,
        max_tokens: provider.maxTokens,
      });
      if (!completion.choices[0]?.message.content) throw new Error('bare call got no content');
      const bareMs = performance.now() - startedBare;

      const requestsBefore = endpoint.completionRequests().length;
      const startedOurs = performance.now();
      // One model call on each side: a repair or gap-filling round is a second call to the model,
      // not time Reqase adds (the offline engine's cases, read as a model answer, draw findings
      // that would start one).
      const output = await generateForStory({
        story,
        format: 'manual',
        engine: { kind: 'llm', provider, responseMode: 'json_schema' },
        repair: false,
        fillGaps: false,
      });
      await storage.generations.saveGenerationWithTestCases(
        {
          projectId: project.id,
          storyId: stored.id,
          engine: 'llm',
          providerName: provider.name,
          model: output.audit?.model ?? null,
          responseMode: output.responseMode ?? null,
          prompt: output.audit?.messages ?? null,
          rawAnswer: output.audit?.rawAnswer ?? null,
          usage: output.usage,
          latencyMs: output.latencyMs,
          warnings: output.warnings,
        },
        output.testCases.map(({ id: _id, ...content }) => content),
      );
      const oursMs = performance.now() - startedOurs;
      if (output.testCases.length === 0) throw new Error('pipeline produced no test cases');
      const requests = endpoint.completionRequests().length - requestsBefore;
      if (requests !== 1) throw new Error(`the pipeline made ${requests} model calls, not 1`);
      return { bareMs, oursMs };
    };
    await run(); // warm-up: module loading, JIT, first SQLite statements
    for (let index = 0; index < options.iterations; index += 1) {
      const { bareMs, oursMs } = await run();
      baseline.push(bareMs);
      ours.push(oursMs);
      added.push(oursMs - bareMs);
    }
    const latencyNote = `fake endpoint: first token ${options.latency.timeToFirstTokenMs ?? 0} ms, ${options.latency.tokensPerSecond ?? '∞'} tokens/s; ${options.iterations} runs`;
    return [
      {
        benchmark: 'overhead',
        metric: 'wall time, median',
        value: median(ours),
        unit: 'ms',
        baseline: median(baseline),
        baselineLabel: 'bare openai call',
        note: latencyNote,
      },
      {
        benchmark: 'overhead',
        metric: 'wall time, p95',
        value: percentile(ours, 0.95),
        unit: 'ms',
        baseline: percentile(baseline, 0.95),
        baselineLabel: 'bare openai call',
      },
      {
        benchmark: 'overhead',
        metric: 'added by Reqase, median',
        value: median(added),
        unit: 'ms',
        note: 'prompt, client, parse, validate, lint, store',
      },
      { benchmark: 'overhead', metric: 'added by Reqase, p95', value: percentile(added, 0.95), unit: 'ms' },
    ];
  } finally {
    await storage.close();
    await endpoint.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
