import {
  TestKindSchema,
  type GenerationEvent,
  type Story,
  type TestFormat,
  type TestKind,
} from '../core/index.ts';
import { maxStoryInputBytes, readStoryText } from '../formats/index.ts';
import type { ProviderFlags } from '../llm/index.ts';
import { InvalidInputError } from '../shared/errors.ts';
import {
  generateForStory,
  type EngineChoice,
  type GenerationDependencies,
  type GenerationOutput,
} from './generation.ts';
import { MAX_RULES_FILE_BYTES, readInput } from './read-input.ts';
import { fileResponseModeMemory } from './response-mode-memory.ts';
import type { AppSettings } from './settings.ts';

/**
 * Most stories one `generate` call takes. It answers with every story's cases at once, so a whole
 * backlog export would run for minutes (hours with a model) before showing anything; a backlog
 * belongs in a project, where generation runs as a resumable job.
 */
export const MAX_STORIES_PER_GENERATION = 1_000;

export interface GenerateFromFileRequest {
  /** Path of the story file, or `-` with `standardInput`. */
  path: string;
  /** The story for `-`: its text, or a stream (the CLI's standard input), read up to the size limit. */
  standardInput?: string | Buffer | AsyncIterable<Uint8Array | string>;
  /** Only this story of a file holding several. */
  storyKey?: string;
  format: TestFormat;
  /** Use the offline rules engine even when a model is configured. */
  offline?: boolean;
  providerFlags?: ProviderFlags;
  /** Path of a file with the project's test case rules. */
  rulesFile?: string;
  additionalContext?: string;
  /** `N` or `MIN-MAX`, as given on the command line. */
  count?: string;
  /** Comma-separated kinds, e.g. `negative,boundary`. */
  kinds?: string;
  /** Comma-separated priority labels, highest first. */
  priorities?: string;
  language?: string;
  fillGaps?: boolean;
  /** Send cases with error findings back to the model once. Default true. */
  repair?: boolean;
  stream?: boolean;
  signal?: AbortSignal;
  onEvent?: (story: Story, event: GenerationEvent) => void;
  /** Called once the engine is known, before the first request. */
  onEngine?: (engine: EngineSummary) => void;
}

export interface EngineSummary {
  kind: 'llm' | 'rules';
  /** e.g. "llama3.1 at http://localhost:11434/v1 (ollama)" or why the rules engine runs. */
  description: string;
}

export interface GenerateFromFileResult {
  outputs: GenerationOutput[];
  engine: EngineSummary;
  /** What was assumed or changed while reading input and configuration. */
  notices: string[];
}

/**
 * The main job: reads a story file (Markdown, JSON, Jira JSON, CSV, .feature or plain text),
 * resolves the model (flags, environment, config file) or falls back to the offline rules
 * engine, and generates test cases for each story in it.
 */
export async function generateFromFile(
  request: GenerateFromFileRequest,
  settings: AppSettings,
  dependencies: GenerationDependencies = {},
): Promise<GenerateFromFileResult> {
  const notices: string[] = [];
  const stories = await readStories(request, settings, notices);
  const count = parseCount(request.count);
  const kinds = parseKinds(request.kinds);
  const priorities = request.priorities
    ?.split(',')
    .map((priority) => priority.trim())
    .filter(Boolean);
  const projectRules = request.rulesFile
    ? (
        await readInput(request.rulesFile, {
          what: 'rules file',
          maxBytes: MAX_RULES_FILE_BYTES,
          cwd: settings.cwd,
        })
      ).toString('utf8')
    : undefined;

  let engine: EngineChoice;
  let summary: EngineSummary;
  const memory = fileResponseModeMemory(settings.dataDirectory);
  if (request.offline) {
    engine = { kind: 'rules', reason: 'requested' };
    summary = { kind: 'rules', description: 'offline rules engine (asked for)' };
  } else {
    const { isModelConfigured, resolveProviderConfig } = await import('../llm/index.ts');
    const resolution = resolveProviderConfig({
      flags: request.providerFlags ?? {},
      env: settings.env,
      cwd: settings.cwd,
    });
    notices.push(...resolution.notices);
    if (isModelConfigured(resolution)) {
      const provider = resolution.config;
      const remembered = memory.recall(provider.baseUrl, provider.model);
      engine = { kind: 'llm', provider, ...(remembered ? { responseMode: remembered } : {}) };
      summary = { kind: 'llm', description: `${provider.model} at ${provider.baseUrl} (${provider.name})` };
    } else {
      engine = { kind: 'rules', reason: 'not-configured', detail: resolution.reason };
      summary = {
        kind: 'rules',
        description:
          'offline rules engine: no model is configured. To use a model, give its base URL and model name (REQASE_BASE_URL, REQASE_MODEL and REQASE_API_KEY), and check the endpoint first.',
      };
    }
  }
  request.onEngine?.(summary);

  const outputs: GenerationOutput[] = [];
  for (const story of stories) {
    const output = await generateForStory(
      {
        story,
        format: request.format,
        engine,
        ...(projectRules ? { projectRules } : {}),
        ...(request.additionalContext ? { additionalContext: request.additionalContext } : {}),
        ...(count ? { count } : {}),
        ...(kinds ? { kinds } : {}),
        ...(priorities?.length ? { priorities } : {}),
        ...(request.language ? { language: request.language } : {}),
        ...(request.fillGaps === undefined ? {} : { fillGaps: request.fillGaps }),
        ...(request.repair === undefined ? {} : { repair: request.repair }),
        ...(request.stream === undefined ? {} : { stream: request.stream }),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onEvent ? { onEvent: (event: GenerationEvent) => request.onEvent?.(story, event) } : {}),
      },
      dependencies,
    );
    if (engine.kind === 'llm' && output.responseMode) {
      memory.remember(engine.provider.baseUrl, engine.provider.model, output.responseMode);
      engine = { ...engine, responseMode: output.responseMode };
    }
    outputs.push(output);
  }
  return { outputs, engine: summary, notices };
}

async function readStories(
  request: GenerateFromFileRequest,
  settings: AppSettings,
  notices: string[],
): Promise<Story[]> {
  let content: string | Buffer;
  let fileName: string | undefined;
  if (request.path === '-') {
    if (request.standardInput === undefined) {
      throw new InvalidInputError('No story was given on standard input.', {
        fix: 'Pipe a story into standard input (`cat story.md | …`), or give a file path.',
      });
    }
    const input = request.standardInput;
    content =
      typeof input === 'string' || Buffer.isBuffer(input)
        ? input
        : await readInput('-', {
            what: 'story input',
            maxBytes: maxStoryInputBytes(undefined),
            cwd: settings.cwd,
            standardInput: input,
          });
  } else {
    content = await readInput(request.path, {
      what: 'story file',
      maxBytes: maxStoryInputBytes(request.path),
      cwd: settings.cwd,
    });
    fileName = request.path;
  }
  const parsed = await readStoryText(content, fileName ? { fileName } : {});
  if (!parsed.ok) throw parsed.error;
  notices.push(...parsed.warnings);
  let stories = parsed.value;
  if (!request.storyKey && stories.length > MAX_STORIES_PER_GENERATION) {
    throw new InvalidInputError(
      `${fileName ?? 'The input'} holds ${stories.length} stories; one generate call takes at most ${MAX_STORIES_PER_GENERATION}.`,
      {
        fix: 'Import the file into a project and generate there, pick one story by its key, or split the file.',
        remedies: [
          { kind: 'run-action', action: 'import-stories' },
          { kind: 'change-value', field: 'storyKey', example: stories[0]?.key ?? 'KEY' },
        ],
      },
    );
  }
  if (request.storyKey) {
    stories = stories.filter((story) => story.key.toLowerCase() === request.storyKey?.toLowerCase());
    if (stories.length === 0) {
      throw new InvalidInputError(
        `No story with the key ${request.storyKey} is in ${fileName ?? 'the input'}.`,
        {
          fix: `Use one of: ${parsed.value.map((story) => story.key).join(', ')}.`,
        },
      );
    }
  }
  return stories;
}

/** `5` → 5 to 5; `3-8` → 3 to 8. */
export function parseCount(text: string | undefined): { min: number; max: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  const min = match ? Number(match[1]) : NaN;
  const max = match?.[2] === undefined ? min : Number(match[2]);
  if (!match || min < 1 || max < min || max > 200) {
    throw new InvalidInputError(
      `The count must be a number or a range such as 5-12 (1 to 200), got "${text}".`,
      {
        fix: 'Give 8 for about eight test cases, or 5-12 for a range (1 to 200).',
        remedies: [{ kind: 'change-value', field: 'count', example: '8' }],
      },
    );
  }
  return { min, max };
}

export function parseKinds(text: string | undefined): TestKind[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text
    .split(',')
    .map((kind) => kind.trim().toLowerCase())
    .filter(Boolean);
  for (const kind of kinds) {
    if (!TestKindSchema.safeParse(kind).success) {
      throw new InvalidInputError(`Unknown test case kind "${kind}".`, {
        fix: `Use a comma-separated list of ${TestKindSchema.options.join(', ')}.`,
        remedies: [{ kind: 'change-value', field: 'kinds', allowed: [...TestKindSchema.options] }],
      });
    }
  }
  return kinds as TestKind[];
}
