import {
  lintTestCases,
  findingText,
  type CaseRepair,
  type StoryQuality,
  type GenerationEvent,
  type Story,
  type TestCase,
  type TestFormat,
  type TestKind,
  type Usage,
} from '../core/index.ts';
import { generateOffline } from '../core/offline/index.ts';
import type { ChatMessage, ExistingCase, ResponseMode } from '../core/index.ts';
import type { ChatClient, ChatClientDependencies, ProviderConfig } from '../llm/index.ts';
import type * as LlmModule from '../llm/index.ts';
import type * as GenerationModule from '../core/generation/index.ts';
import { languageModelFrom } from './language-model.ts';

/** Which engine a generation runs on. */
export type EngineChoice =
  | { kind: 'rules'; reason: 'requested' | 'not-configured'; detail?: string }
  | { kind: 'llm'; provider: ProviderConfig; responseMode?: ResponseMode };

export interface GenerateForStoryRequest {
  story: Story;
  format: TestFormat;
  engine: EngineChoice;
  projectRules?: string;
  additionalContext?: string;
  count?: { min: number; max: number };
  kinds?: TestKind[];
  priorities?: string[];
  language?: string;
  existingCases?: ExistingCase[];
  /** Ask once more for criteria no case covers (model only). Default true. */
  fillGaps?: boolean;
  /** Send cases with error findings back to the model once, in the same follow-up request (model only). Default true. */
  repair?: boolean;
  /** Tokens the whole generation may use; the follow-up request stays inside (model only). Default: no limit. */
  tokenBudget?: number;
  /** Stream the answer so each case arrives as soon as it is complete. Default false. */
  stream?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: GenerationEvent) => void;
}

/** The result of one story's generation, as `reqase generate --json` prints it. */
export interface GenerationOutput {
  story: Story;
  engine: 'llm' | 'rules';
  provider?: { name: string; baseUrl: string; model: string };
  responseMode?: ResponseMode;
  testCases: TestCase[];
  coverage: Record<string, string[]>;
  uncovered: string[];
  warnings: string[];
  /** Quality score (0–100) of the story and each case, with every finding and its fix. */
  quality: StoryQuality;
  /** Which cases the model repaired, and why (model only; empty offline). */
  repairs: CaseRepair[];
  truncated: boolean;
  usage: Usage | null;
  latencyMilliseconds: number;
  /** Kept for audit when stored; not printed by the CLI. */
  audit?: { messages: ChatMessage[]; rawAnswer: string; model: string };
}

/** A generation as people and clients see it (CLI `--json`, HTTP API): the audit trail left out. */
export type VisibleGeneration = Omit<GenerationOutput, 'audit'>;

export function visibleGeneration(output: GenerationOutput): VisibleGeneration {
  const { audit: _audit, ...visible } = output;
  return { ...visible, latencyMilliseconds: Math.round(output.latencyMilliseconds) };
}

export interface GenerationDependencies {
  /** Passed to the chat client (tests and benchmarks inject fetch or a clock). */
  chatClient?: ChatClientDependencies;
  now?: () => number;
}

const clients = new Map<string, { client: ChatClient; dependencies: ChatClientDependencies | undefined }>();

/**
 * The llm module, imported once: an `import()` of a loaded module still goes through module
 * resolution (and any loader hooks) on every call, which cost about a millisecond per generation.
 */
let llmModule: Promise<typeof LlmModule> | undefined;
/** The model path's generation (answer parsing, YAML, JSON repair), imported once for the same reason. */
let generationModule: Promise<typeof GenerationModule> | undefined;

/**
 * One chat client per provider configuration and process, so that the provider's concurrency,
 * requests-per-minute and tokens-per-minute limits hold across every generation that uses it.
 */
export async function chatClientFor(
  provider: ProviderConfig,
  dependencies?: ChatClientDependencies,
): Promise<ChatClient> {
  // The client (and the openai package) loads on first use: offline generation never needs it.
  // The cache is read after the import, so concurrent first calls still share one client.
  llmModule ??= import('../llm/index.ts');
  const { createChatClient } = await llmModule;
  const key = JSON.stringify(provider);
  const cached = clients.get(key);
  if (cached && cached.dependencies === dependencies) return cached.client;
  const client = createChatClient(provider, dependencies);
  clients.set(key, { client, dependencies });
  return client;
}

/**
 * Generates test cases for one story with the chosen engine: the model through the
 * OpenAI-compatible client, or the offline rules engine.
 *
 * @example
 * const output = await generateForStory({ story, format: 'bdd', engine: { kind: 'rules', reason: 'requested' } });
 */
export async function generateForStory(
  request: GenerateForStoryRequest,
  dependencies: GenerationDependencies = {},
): Promise<GenerationOutput> {
  const now = dependencies.now ?? (() => performance.now());
  const started = now();
  if (request.engine.kind === 'rules') {
    const result = generateOffline(request.story, {
      format: request.format,
      ...(request.count ? { count: request.count } : {}),
      ...(request.kinds ? { kinds: request.kinds } : {}),
      ...(request.priorities ? { priorities: request.priorities } : {}),
      ...(request.language ? { language: request.language } : {}),
    });
    // The offline engine's cases meet the same quality rules as a model's.
    const lint = lintTestCases(result.testCases, {
      story: request.story,
      format: request.format,
      constraints: result.constraints,
      ...(request.kinds ? { kinds: request.kinds } : {}),
    });
    for (const testCase of lint.testCases) request.onEvent?.({ kind: 'test-case-end', testCase });
    const setFindings = lint.findings.filter((finding) => !finding.testCaseId).map(findingText);
    return {
      story: request.story,
      engine: 'rules',
      testCases: lint.testCases,
      coverage: result.coverage,
      uncovered: result.uncovered,
      warnings: [...result.warnings, ...setFindings],
      quality: lint.quality,
      repairs: [],
      truncated: false,
      usage: null,
      latencyMilliseconds: now() - started,
    };
  }

  const provider = request.engine.provider;
  const client = await chatClientFor(provider, dependencies.chatClient);
  // Loaded here: the model path's answer parsing (YAML, JSON repair) is not needed offline.
  generationModule ??= import('../core/generation/index.ts');
  const { generateTestCases } = await generationModule;
  const result = await generateTestCases({
    story: request.story,
    format: request.format,
    model: languageModelFrom(client),
    ...(request.projectRules ? { projectRules: request.projectRules } : {}),
    ...(request.additionalContext ? { additionalContext: request.additionalContext } : {}),
    ...(request.count ? { count: request.count } : {}),
    ...(request.kinds ? { kinds: request.kinds } : {}),
    ...(request.priorities ? { priorities: request.priorities } : {}),
    ...(request.language ? { language: request.language } : {}),
    ...(request.existingCases ? { existingCases: request.existingCases } : {}),
    responseMode: request.engine.responseMode ?? 'auto',
    fillGaps: request.fillGaps ?? true,
    repair: request.repair ?? true,
    ...(request.tokenBudget === undefined ? {} : { tokenBudget: request.tokenBudget }),
    stream: request.stream ?? false,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
  });
  return {
    story: request.story,
    engine: 'llm',
    provider: { name: provider.name, baseUrl: provider.baseUrl, model: provider.model },
    responseMode: result.responseModeUsed,
    testCases: result.testCases,
    coverage: result.coverage,
    uncovered: result.uncovered,
    warnings: result.warnings,
    quality: result.quality,
    repairs: result.repairs,
    truncated: result.truncated,
    usage: result.usage,
    latencyMilliseconds: now() - started,
    audit: { messages: result.messages, rawAnswer: result.rawAnswer, model: result.model },
  };
}
