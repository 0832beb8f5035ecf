/**
 * Which engine a stored story's generation runs on (asked for, a stored provider, provider flags,
 * the project's default, the environment, or the offline rules engine), and remembering the
 * response mode a model answered in.
 */
import type { ProjectRecord } from '../../core/index.ts';
import { isModelConfigured, isProviderPresetId, resolveProviderConfig } from '../../llm/index.ts';
import type { Storage } from '../../storage/index.ts';
import type { EngineSummary } from '../generate-from-file.ts';
import type { EngineChoice, GenerationOutput } from '../generation.ts';
import { fileResponseModeMemory } from '../response-mode-memory.ts';
import type { WorkspaceContext } from './context.ts';
import type { StoredGenerationOptions } from './generation.ts';
import { GenerationModelSchema, storedEngine } from './stored-engine.ts';

/** An engine choice with where it came from. */
export interface ResolvedEngine {
  choice: EngineChoice;
  summary: EngineSummary;
  /** The stored provider's name, when the engine is one (its response mode is remembered there). */
  storedProvider: string | null;
  notices: string[];
}

export async function resolveEngine(
  context: WorkspaceContext,
  storage: Storage,
  project: ProjectRecord,
  options: Pick<StoredGenerationOptions, 'offline' | 'provider' | 'providerFlags' | 'model'>,
): Promise<ResolvedEngine> {
  const model = options.model === undefined ? undefined : GenerationModelSchema.parse(options.model);
  if (options.offline) {
    return {
      choice: { kind: 'rules', reason: 'requested' },
      summary: { kind: 'rules', description: 'offline rules engine (asked for)' },
      storedProvider: null,
      notices: [],
    };
  }
  const stored = (name: string, via: string) => storedEngine(storage, name, via, model);
  let flags = options.providerFlags ?? {};
  if (options.provider) {
    // `--provider` names a stored provider; a preset id (`ollama`, `openai`, …) that is not one
    // works as it does for a story file.
    if (
      (await storage.providers.get(options.provider)) ||
      !isProviderPresetId(options.provider.toLowerCase())
    ) {
      return stored(options.provider, 'the provider asked for');
    }
    flags = { ...flags, provider: options.provider };
  }
  const flagsGiven = Object.values(flags).some((value) => value !== undefined && value !== '');
  if (!flagsGiven && project.defaultProviderId) {
    const provider = await storage.providers.getById(project.defaultProviderId);
    if (provider) return stored(provider.name, `default provider of project ${project.name}`);
  }
  const resolution = resolveProviderConfig({
    flags: model ? { ...flags, model } : flags,
    env: context.settings.env,
    cwd: context.settings.cwd,
  });
  if (isModelConfigured(resolution)) {
    const provider = resolution.config;
    const remembered = fileResponseModeMemory(context.settings.dataDirectory).recall(
      provider.baseUrl,
      provider.model,
    );
    return {
      choice: { kind: 'llm', provider, ...(remembered ? { responseMode: remembered } : {}) },
      summary: { kind: 'llm', description: `${provider.model} at ${provider.baseUrl} (${provider.name})` },
      storedProvider: null,
      notices: resolution.notices,
    };
  }
  return {
    choice: { kind: 'rules', reason: 'not-configured', detail: resolution.reason },
    summary: {
      kind: 'rules',
      description:
        'offline rules engine: no model is configured. To use one, add a provider and make it the default provider of the project.',
    },
    storedProvider: null,
    notices: resolution.notices,
  };
}

export async function rememberResponseMode(
  context: WorkspaceContext,
  storage: Storage,
  engine: ResolvedEngine,
  output: GenerationOutput,
): Promise<void> {
  if (engine.choice.kind !== 'llm' || !output.responseMode) return;
  if (engine.choice.responseMode === output.responseMode) return;
  if (engine.storedProvider) {
    await storage.providers.setStructuredOutputMode(engine.storedProvider, output.responseMode);
  } else {
    fileResponseModeMemory(context.settings.dataDirectory).remember(
      engine.choice.provider.baseUrl,
      engine.choice.provider.model,
      output.responseMode,
    );
  }
}
