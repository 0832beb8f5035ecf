/**
 * A stored provider as a generation's engine, with the model chosen for that generation.
 */
import { z } from 'zod';
import type { Storage } from '../../storage/index.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { ResolvedEngine } from './generation.ts';
import { providerConfigFrom } from './providers.ts';

/** A model name chosen for one generation: as the endpoint lists it, without surrounding spaces. */
export const GenerationModelSchema = z.string().trim().min(1).max(200);

/** A stored provider as the engine, with the model asked for this generation when one is. */
export async function storedEngine(
  storage: Storage,
  name: string,
  via: string,
  model: string | undefined,
): Promise<ResolvedEngine> {
  const provider = await storage.providers.getWithSecret(name);
  if (!provider) {
    const stored = (await storage.providers.list()).map((candidate) => `"${candidate.name}"`);
    const known = stored.length
      ? `The stored providers are ${stored.join(', ')}.`
      : 'No provider is stored yet.';
    throw new NotFoundError(`There is no provider named "${name}" (${via}). ${known}`, {
      fix: 'List the providers, or add this one.',
      remedies: [
        { kind: 'run-action', action: 'list-providers' },
        { kind: 'run-action', action: 'add-provider' },
      ],
    });
  }
  const own = providerConfigFrom(provider);
  const config = model ? { ...own, model } : own;
  const sameModel = config.model === own.model;
  return {
    choice: {
      kind: 'llm',
      provider: config,
      // The remembered mode belongs to the stored model; another model learns its own.
      ...(provider.structuredOutputMode && sameModel ? { responseMode: provider.structuredOutputMode } : {}),
    },
    summary: { kind: 'llm', description: `${config.model} at ${config.baseUrl} (${config.name}, ${via})` },
    // Another model's response mode is remembered by address and model, not on the provider.
    storedProvider: sameModel ? provider.name : null,
    notices: [],
  };
}
