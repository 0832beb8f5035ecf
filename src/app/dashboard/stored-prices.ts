import type { ProviderRecord } from '../../core/index.ts';
import type { TokenPrice } from '../compare.ts';
import type { PriceOf } from './token-cost.ts';

/**
 * The price stored with each provider, by name. Stored prices are being added to providers as
 * optional `inputPricePerMillionTokens` and `outputPricePerMillionTokens` (US dollars per million
 * tokens); until `ProviderRecord` declares them, they are read structurally here, so a record that
 * carries them is priced and one that does not shows "no price set".
 * INTEGRATION: once `ProviderRecord` has both fields, drop the `PricedProvider` cast below and
 * read `provider.inputPricePerMillionTokens` / `provider.outputPricePerMillionTokens` directly.
 *
 * @example
 * const priceOf = storedPriceOf(await workspace.providers.list());
 * priceOf('team-vllm') // { input: 0.2, output: 0.6 }, or undefined when no price is stored
 */
export function storedPriceOf(providers: readonly ProviderRecord[]): PriceOf {
  const prices = new Map<string, TokenPrice>();
  for (const provider of providers) {
    const price = priceOf(provider as PricedProvider);
    if (price) prices.set(provider.name, price);
  }
  return (providerName) => prices.get(providerName);
}

interface PricedProvider extends ProviderRecord {
  inputPricePerMillionTokens?: number | null;
  outputPricePerMillionTokens?: number | null;
}

function priceOf(provider: PricedProvider): TokenPrice | undefined {
  const input = provider.inputPricePerMillionTokens;
  const output = provider.outputPricePerMillionTokens;
  // Both or nothing: a cost from half a price would look exact and be wrong.
  if (typeof input !== 'number' || typeof output !== 'number') return undefined;
  return { input, output };
}
