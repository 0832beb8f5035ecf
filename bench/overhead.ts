/**
 * overhead: one generation through Reqase Lite's pipeline (prompt build, request through the
 * client with retries/limits, parse, validate, lint, coverage, store in SQLite) against a bare
 * `openai` call that gets the same answer from the same fake endpoint. Both make exactly one
 * model call (no repair or gap-filling round, which would be a second call, not overhead).
 *
 * Wall time is what a user waits; on a shared machine it also holds other processes' turns, so
 * the CPU time of both sides (`process.cpuUsage`, the fake endpoint's share included on both) is
 * reported too, and each stage's CPU time, measured on its own with the same input, interleaved
 * with the bare call in the same run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chatClientFor, generateForStory, type GenerationOutput } from '../src/app/generation.ts';
import { ProviderConfigSchema } from '../src/llm/index.ts';
import {
  assessQuality,
  buildCoverage,
  buildGenerationPrompt,
  extractConstraints,
  lintTestCases,
  prepareQuality,
  type Story,
} from '../src/core/index.ts';
import { parseModelAnswer } from '../src/core/answer/index.ts';
import { forgetKeptFacts } from '../src/core/quality/story-facts.ts';
import { parseStoryText } from '../src/formats/index.ts';
import { openDatabase } from '../src/storage/index.ts';
import { startFakeLlmEndpoint, type LatencyModel } from '../test/support/fake-llm-endpoint.ts';
import { modelAnswerFor } from '../test/support/model-answer.ts';

export { modelAnswerFor };
import { median, percentile, type Figure } from './support.ts';

/** CPU time (user + system) of this process in ms. */
function cpuMilliseconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function cpuOf(action: () => unknown): Promise<number> {
  const started = cpuMilliseconds();
  await action();
  return cpuMilliseconds() - started;
}

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

    const store = (output: GenerationOutput) =>
      storage.generations.saveGenerationWithTestCases(
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
          latencyMilliseconds: output.latencyMilliseconds,
          warnings: output.warnings,
        },
        output.testCases.map(({ id: _id, ...content }) => content),
      );
    const bareCall = async () => {
      const completion = await bare.chat.completions.create({
        model: provider.model,
        messages: prompt.messages,
        temperature: 0.7,
        max_tokens: provider.maxTokens,
      });
      if (!completion.choices[0]?.message.content) throw new Error('bare call got no content');
    };

    // The garbage collector's pauses of this process, to tell the pipeline's own time from the
    // collections that fall into it (a full one after a few rounds takes 10–40 ms).
    const collections: PerformanceEntry[] = [];
    const collector = new PerformanceObserver((list) => collections.push(...list.getEntries()));
    collector.observe({ entryTypes: ['gc'] });
    const oursWindows: Array<{ start: number; end: number }> = [];
    const ours: number[] = [];
    const baseline: number[] = [];
    const added: number[] = [];
    const addedCpu: number[] = [];
    const run = async () => {
      const startedBare = performance.now();
      const bareCpu = await cpuOf(bareCall);
      const bareMilliseconds = performance.now() - startedBare;

      // Every round scores the same answer: kept findings would stand in for a new generation's.
      forgetKeptFacts();
      const requestsBefore = endpoint.completionRequests().length;
      const startedOurs = performance.now();
      const oursCpuStarted = cpuMilliseconds();
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
      await store(output);
      const oursMilliseconds = performance.now() - startedOurs;
      const addedCpuMilliseconds = cpuMilliseconds() - oursCpuStarted - bareCpu;
      if (output.testCases.length === 0) throw new Error('pipeline produced no test cases');
      const requests = endpoint.completionRequests().length - requestsBefore;
      if (requests !== 1) throw new Error(`the pipeline made ${requests} model calls, not 1`);
      return { bareMilliseconds, oursMilliseconds, addedCpuMilliseconds, output, startedOurs };
    };
    const { output: warmOutput } = await run(); // warm-up: module loading, JIT, first SQLite statements
    for (let index = 0; index < options.iterations; index += 1) {
      const { bareMilliseconds, oursMilliseconds, addedCpuMilliseconds, startedOurs } = await run();
      oursWindows.push({ start: startedOurs, end: startedOurs + oursMilliseconds });
      baseline.push(bareMilliseconds);
      ours.push(oursMilliseconds);
      added.push(oursMilliseconds - bareMilliseconds);
      addedCpu.push(addedCpuMilliseconds);
    }
    await new Promise((resolve) => setImmediate(resolve)); // the observer's last entries
    collector.disconnect();
    const pauses = oursWindows.map(({ start, end }) =>
      collections
        .filter((entry) => entry.startTime >= start && entry.startTime < end)
        .reduce((sum, entry) => sum + entry.duration, 0),
    );
    const stages = await stageCpuTimes({
      rounds: options.iterations,
      story,
      answer,
      bareCall,
      client: await chatClientFor(provider),
      store: () => store(warmOutput),
    });
    const latencyNote = `fake endpoint: first token ${options.latency.timeToFirstTokenMilliseconds ?? 0} ms, ${options.latency.tokensPerSecond ?? '∞'} tokens/s; ${options.iterations} runs`;
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
      {
        benchmark: 'overhead',
        metric: 'added CPU time, median',
        value: median(addedCpu),
        unit: 'ms',
        note: "pipeline's CPU time minus the bare call's, same iteration",
      },
      { benchmark: 'overhead', metric: 'added CPU time, p95', value: percentile(addedCpu, 0.95), unit: 'ms' },
      {
        benchmark: 'overhead',
        metric: 'garbage collection during the pipeline, p95',
        value: percentile(pauses, 0.95),
        unit: 'ms',
        note: `median ${median(pauses).toFixed(2)} ms, most ${Math.max(0, ...pauses).toFixed(1)} ms; ${pauses.filter((pause) => pause > 5).length} of ${pauses.length} runs paused over 5 ms`,
      },
      ...stages,
    ];
  } finally {
    await storage.close();
    await endpoint.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

interface StageInput {
  rounds: number;
  story: Story;
  answer: string;
  bareCall: () => Promise<void>;
  client: Awaited<ReturnType<typeof chatClientFor>>;
  store: () => Promise<unknown>;
}

/**
 * The CPU time of each stage of the pipeline, each run on its own with the same input as the
 * pipeline's, a round of every stage after a bare call so both see the same load. The client's
 * figure is its call's CPU time minus the bare call's of the same round (both include the fake
 * endpoint's share, which cancels out).
 */
async function stageCpuTimes(input: StageInput): Promise<Figure[]> {
  const names = [
    'prompt (constraints + layers)',
    'client (beyond the bare call)',
    'parse + validate',
    'quality: story facts (made during the request)',
    'quality: the cases',
    'lint + coverage',
    'store',
  ] as const;
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  const bareTimes: number[] = [];
  const format = 'manual';
  for (let round = 0; round < input.rounds + 1; round += 1) {
    // A copy of the story per round, as each generation reads its story afresh.
    const story = structuredClone(input.story);
    const add = (name: (typeof names)[number], milliseconds: number) => {
      if (round > 0) times.get(name)?.push(milliseconds);
    };
    const bare = await cpuOf(input.bareCall);
    if (round > 0) bareTimes.push(bare);
    let prompt: ReturnType<typeof buildGenerationPrompt> | undefined;
    const constraints = extractConstraints(story);
    add(
      'prompt (constraints + layers)',
      await cpuOf(() => {
        prompt = buildGenerationPrompt({
          story,
          format,
          constraints: extractConstraints(story),
          responseMode: 'json_schema',
        });
      }),
    );
    const sent = prompt!;
    const client = await cpuOf(() =>
      input.client.complete({ messages: sent.messages, responseFormat: sent.responseFormat }),
    );
    add('client (beyond the bare call)', client - bare);
    let parsed: ReturnType<typeof parseModelAnswer> | undefined;
    add(
      'parse + validate',
      await cpuOf(() => {
        parsed = parseModelAnswer(input.answer, { format, story, finishReason: 'stop' });
      }),
    );
    if (!parsed?.ok) throw new Error('the answer did not parse');
    const testCases = parsed.value.testCases;
    const qualityOptions = { story, format, constraints } as const;
    forgetKeptFacts();
    add('quality: story facts (made during the request)', await cpuOf(() => prepareQuality(qualityOptions)));
    let quality: ReturnType<typeof assessQuality> | undefined;
    add(
      'quality: the cases',
      await cpuOf(() => {
        quality = assessQuality(testCases, qualityOptions);
      }),
    );
    add(
      'lint + coverage',
      await cpuOf(() => {
        const lint = lintTestCases(testCases, qualityOptions, quality);
        buildCoverage(story, lint.testCases);
      }),
    );
    add('store', await cpuOf(input.store));
  }
  return [
    ...names.map((name, index) => ({
      benchmark: 'overhead',
      metric: `CPU: ${name}, median`,
      value: median(times.get(name) ?? []),
      unit: 'ms',
      ...(name === 'client (beyond the bare call)'
        ? { baseline: median(bareTimes), baselineLabel: 'bare openai call, CPU' }
        : {}),
      ...(index === 0 ? { note: 'each stage on its own, same input, interleaved with the bare call' } : {}),
    })),
  ];
}
