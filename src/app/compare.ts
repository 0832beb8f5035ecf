import { z } from 'zod';
import { StoryQualitySchema, scoreProject, type Story, type TestFormat } from '../core/index.ts';
import type { ProviderConfig } from '../llm/index.ts';
import type { AppSettings } from './settings.ts';
import { InvalidInputError, ReqaseError } from '../shared/errors.ts';
import {
  generateForStory,
  type EngineChoice,
  type GenerationDependencies,
  type GenerationOutput,
} from './generation.ts';

/** Price of a provider's tokens, in US dollars per million tokens. */
export const TokenPriceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  /**
   * Input tokens served from the provider's prompt cache (e.g. OpenAI bills them at a discount).
   * Without it cached tokens cost the input price.
   */
  cached: z.number().nonnegative().optional(),
});
export type TokenPrice = z.infer<typeof TokenPriceSchema>;

/** One engine's line of the comparison table. */
export const ComparisonRowSchema = z.object({
  /** The provider's name, or `offline`. */
  name: z.string(),
  engine: z.enum(['llm', 'rules']),
  model: z.string().optional(),
  /** 0–100 over the stories (see the quality score). */
  score: z.number().int(),
  criteria: z.object({ covered: z.number().int(), total: z.number().int() }),
  testCases: z.number().int(),
  negativeCases: z.number().int(),
  boundaryCases: z.number().int(),
  /** Cases with the same or nearly the same steps as another. */
  duplicates: z.number().int(),
  findings: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  /** Cases the repair round replaced. */
  repaired: z.number().int(),
  /** Wall time over every story, in milliseconds. */
  latencyMilliseconds: z.number().int(),
  tokens: z.object({
    prompt: z.number().int(),
    completion: z.number().int(),
    total: z.number().int(),
    estimated: z.boolean(),
    /** Prompt tokens served from the provider's prompt cache; absent when it reported none. */
    cached: z.number().int().optional(),
  }),
  /**
   * US dollars, from the price given for this provider; null when none was given (or offline: 0).
   * Cached prompt tokens count at the price's `cached` figure when given, else at its input price.
   */
  costUsd: z.number().nullable(),
  /** Stories this engine failed on, with the reason. */
  failures: z.array(z.object({ storyKey: z.string(), message: z.string() })),
  /** Each story's score and findings. */
  stories: z.array(z.object({ storyKey: z.string(), quality: StoryQualitySchema })),
});
export type ComparisonRow = z.infer<typeof ComparisonRowSchema>;

export const ComparisonSchema = z.object({
  format: z.string(),
  storyCount: z.number().int(),
  rows: z.array(ComparisonRowSchema),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

/** One engine to compare: a model (by provider) or the offline rules engine. */
export interface EngineToCompare {
  name: string;
  engine: EngineChoice;
  price?: TokenPrice;
}

export interface CompareRequest {
  stories: readonly Story[];
  engines: readonly EngineToCompare[];
  format: TestFormat;
  signal?: AbortSignal;
  /** Called after each story of each engine, for progress. */
  onStoryEnd?: (engineName: string, storyKey: string) => void;
}

/**
 * Runs the same stories through each engine, one after the other (so latencies are not skewed
 * by sharing the machine), and sums up each engine's quality, coverage, speed, tokens and cost.
 * A story an engine fails on is counted as a failure of that engine, not of the comparison.
 *
 * @example
 * const comparison = await compareEngines({ stories, format: 'manual', engines: [
 *   { name: 'offline', engine: { kind: 'rules', reason: 'requested' } },
 *   { name: 'team-vllm', engine: { kind: 'llm', provider }, price: { input: 0.2, output: 0.6 } },
 * ] });
 */
export async function compareEngines(
  request: CompareRequest,
  dependencies: GenerationDependencies = {},
): Promise<Comparison> {
  const rows: ComparisonRow[] = [];
  for (const engine of request.engines) {
    const outputs: GenerationOutput[] = [];
    const failures: ComparisonRow['failures'] = [];
    let latencyMilliseconds = 0;
    for (const story of request.stories) {
      const started = performance.now();
      try {
        outputs.push(
          await generateForStory(
            {
              story,
              format: request.format,
              engine: engine.engine,
              ...(request.signal ? { signal: request.signal } : {}),
            },
            dependencies,
          ),
        );
      } catch (error) {
        if (!(error instanceof ReqaseError)) throw error;
        failures.push({ storyKey: story.key, message: error.message });
      }
      latencyMilliseconds += performance.now() - started;
      request.onStoryEnd?.(engine.name, story.key);
    }
    rows.push(summariseEngine(engine, request.stories, outputs, failures, latencyMilliseconds));
  }
  return { format: request.format, storyCount: request.stories.length, rows };
}

function summariseEngine(
  engine: EngineToCompare,
  stories: readonly Story[],
  outputs: readonly GenerationOutput[],
  failures: ComparisonRow['failures'],
  latencyMilliseconds: number,
): ComparisonRow {
  const testCases = outputs.flatMap((output) => output.testCases);
  const findings = outputs.flatMap((output) => output.quality.findings);
  const count = (severity: 'error' | 'warning' | 'info') =>
    findings.filter((finding) => finding.severity === severity).length;
  const tokens: ComparisonRow['tokens'] = { prompt: 0, completion: 0, total: 0, estimated: false };
  for (const output of outputs) {
    if (!output.usage) continue;
    tokens.prompt += output.usage.promptTokens;
    tokens.completion += output.usage.completionTokens;
    tokens.total += output.usage.totalTokens;
    tokens.estimated ||= output.usage.estimated;
    if (output.usage.cachedTokens !== undefined)
      tokens.cached = (tokens.cached ?? 0) + output.usage.cachedTokens;
  }
  const costUsd = engine.engine.kind === 'rules' ? 0 : engine.price ? tokenCost(tokens, engine.price) : null;
  // A story the engine failed on scores 0: it produced nothing a tester could keep.
  const storyScores = stories.map((story) => {
    const output = outputs.find((candidate) => candidate.story.key === story.key);
    return {
      score: output?.quality.score ?? 0,
      caseCount: output ? Math.max(1, output.testCases.length) : 1,
    };
  });
  return {
    name: engine.name,
    engine: engine.engine.kind,
    ...(engine.engine.kind === 'llm' ? { model: engine.engine.provider.model } : {}),
    score: scoreProject(storyScores),
    criteria: {
      covered: outputs.reduce(
        (sum, output) => sum + Object.values(output.coverage).filter((ids) => ids.length).length,
        0,
      ),
      total: stories.reduce((sum, story) => sum + story.acceptanceCriteria.length, 0),
    },
    testCases: testCases.length,
    negativeCases: testCases.filter((testCase) => testCase.kind === 'negative').length,
    boundaryCases: testCases.filter((testCase) => testCase.kind === 'boundary').length,
    duplicates: new Set(
      findings
        .filter((finding) => finding.rule === 'duplicate-steps' || finding.rule === 'near-duplicate')
        .map((finding, index) => `${finding.testCaseId ?? index}`),
    ).size,
    findings: { error: count('error'), warning: count('warning'), info: count('info') },
    repaired: outputs.reduce(
      (sum, output) => sum + output.repairs.filter((repair) => repair.outcome === 'replaced').length,
      0,
    ),
    latencyMilliseconds: Math.round(latencyMilliseconds),
    tokens,
    costUsd,
    failures,
    stories: outputs.map((output) => ({ storyKey: output.story.key, quality: output.quality })),
  };
}

/**
 * US dollars for these tokens: cached prompt tokens at the cached price when there is one, else at
 * the input price, the other prompt tokens at the input price, answer tokens at the output price.
 *
 * @example
 * tokenCost({ prompt: 1000, completion: 100, cached: 800 }, { input: 2.5, output: 10, cached: 1.25 })
 */
export function tokenCost(
  tokens: Pick<ComparisonRow['tokens'], 'prompt' | 'completion' | 'cached'>,
  price: TokenPrice,
): number {
  const cached = Math.min(tokens.cached ?? 0, tokens.prompt);
  return (
    ((tokens.prompt - cached) * price.input +
      cached * (price.cached ?? price.input) +
      tokens.completion * price.output) /
    1_000_000
  );
}

/**
 * `NAME=IN/OUT` or `NAME=IN/OUT/CACHED` (US dollars per million input / output / cached input
 * tokens), e.g. `gpt-4o=2.5/10/1.25`.
 *
 * @example
 * parsePrice('team-vllm=0.2/0.6') // { name: 'team-vllm', price: { input: 0.2, output: 0.6 } }
 */
export function parsePrice(text: string): { name: string; price: TokenPrice } {
  const number = '\\s*(\\d+(?:\\.\\d+)?)\\s*';
  const match = new RegExp(`^\\s*([^=]+?)\\s*=${number}/${number}(?:/${number})?$`).exec(text);
  if (!match) {
    throw new InvalidInputError(
      `A price must look like NAME=IN/OUT or NAME=IN/OUT/CACHED (US dollars per million input / output / cached input tokens), got "${text}".`,
      {
        fix: 'Give US dollars per million input and output tokens, and optionally cached input tokens, e.g. gpt-4o=2.5/10/1.25.',
        remedies: [{ kind: 'change-value', field: 'price', example: 'gpt-4o=2.5/10/1.25' }],
      },
    );
  }
  const cached = match[4] === undefined ? {} : { cached: Number(match[4]) };
  return { name: match[1]!, price: { input: Number(match[2]), output: Number(match[3]), ...cached } };
}

/** `NAME` or `NAME:MODEL` (the model after the first colon, so `ollama:llama3.1:8b` works). */
export function parseProviderSpec(text: string): { name: string; model?: string } {
  const colon = text.indexOf(':');
  if (colon <= 0) return { name: text.trim() };
  return { name: text.slice(0, colon).trim(), model: text.slice(colon + 1).trim() };
}

export type ProviderLookup = (name: string) => Promise<ProviderConfig>;

export interface EnginesToCompareInput {
  /** `NAME` or `NAME:MODEL`: a stored provider, else a preset (`ollama`, `openai`, …). */
  providers: readonly string[];
  offline: boolean;
  /** `NAME=IN/OUT` per provider. */
  prices?: readonly string[];
}

/**
 * The engines a comparison runs, in the order given (the offline engine last), each with its
 * price. `lookup` finds a provider's configuration by name.
 */
export async function enginesToCompare(
  input: EnginesToCompareInput,
  lookup: ProviderLookup,
  /** The price stored with a provider, used when none is given for it. */
  storedPrice: (name: string) => Promise<TokenPrice | undefined> = async () => undefined,
): Promise<EngineToCompare[]> {
  if (input.providers.length === 0 && !input.offline) {
    throw new InvalidInputError('Nothing to compare: no provider and no offline engine.', {
      fix: 'Name two or more providers (repeat the provider option) and/or the offline engine.',
    });
  }
  const prices = new Map((input.prices ?? []).map(parsePrice).map(({ name, price }) => [name, price]));
  const engines: EngineToCompare[] = [];
  for (const text of input.providers) {
    const spec = parseProviderSpec(text);
    const config = await lookup(spec.name);
    const provider = spec.model ? { ...config, model: spec.model } : config;
    const name = spec.model ? `${spec.name}:${spec.model}` : spec.name;
    const price = prices.get(name) ?? prices.get(spec.name) ?? (await storedPrice(spec.name));
    engines.push({ name, engine: { kind: 'llm', provider }, ...(price ? { price } : {}) });
  }
  for (const name of prices.keys()) {
    if (!engines.some((engine) => engine.name === name || engine.name.startsWith(`${name}:`))) {
      throw new InvalidInputError(`A price is given for "${name}", which is not compared.`, {
        fix: `Give prices for the compared providers: ${engines.map((engine) => engine.name).join(', ') || 'none'}.`,
      });
    }
  }
  if (input.offline) engines.push({ name: 'offline', engine: { kind: 'rules', reason: 'requested' } });
  return engines;
}

/**
 * A stored provider's price as a comparison takes it: both prices, or none (a half-priced
 * provider would show a cost that leaves out half its tokens).
 */
export function storedTokenPrice(provider: {
  inputPricePerMillionTokens: number | null;
  outputPricePerMillionTokens: number | null;
}): TokenPrice | undefined {
  const { inputPricePerMillionTokens: input, outputPricePerMillionTokens: output } = provider;
  return input === null || output === null ? undefined : { input, output };
}

/** A provider by name: a stored one first, else a preset resolved from the environment and config file. */
export function providerLookup(
  stored: (name: string) => Promise<ProviderConfig | undefined>,
  settings: Pick<AppSettings, 'env' | 'cwd'>,
): ProviderLookup {
  return async (name) => {
    const found = await stored(name);
    if (found) return found;
    const { isModelConfigured, isProviderPresetId, resolveProviderConfig } = await import('../llm/index.ts');
    if (!isProviderPresetId(name)) {
      throw new InvalidInputError(`There is no provider named "${name}".`, {
        fix: 'Store it first (provider add NAME with its base URL and model), or use a preset such as openai, ollama or vllm.',
      });
    }
    const resolution = resolveProviderConfig({
      flags: { provider: name },
      env: settings.env,
      cwd: settings.cwd,
    });
    if (!isModelConfigured(resolution)) {
      throw new InvalidInputError(`The preset "${name}" needs a model: ${resolution.reason}`, {
        fix: `Give it as ${name}:MODEL, or store the provider with its model.`,
      });
    }
    return resolution.config;
  };
}
