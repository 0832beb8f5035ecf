import type { ProviderRecord } from '../../core/index.ts';
import type { TokenPrice } from '../compare.ts';
import type { PriceOf } from './token-cost.ts';

/**
 * The price stored with each provider, by name (`inputPricePerMillionTokens` and
 * `outputPricePerMillionTokens`, US dollars per million tokens): a provider with both is priced,
 * one without shows "no price set".
 *
 * @example
 * const priceOf = storedPriceOf(await workspace.providers.list());
 * priceOf('team-vllm') // { input: 0.2, output: 0.6 }, or undefined when no price is stored
 */
export function storedPriceOf(providers: readonly ProviderRecord[]): PriceOf {
  const prices = new Map<string, TokenPrice>();
  for (const provider of providers) {
    const price = priceOf(provider);
    if (price) prices.set(provider.name, price);
  }
  return (providerName) => prices.get(providerName);
}

function priceOf(provider: ProviderRecord): TokenPrice | undefined {
  const input = provider.inputPricePerMillionTokens;
  const output = provider.outputPricePerMillionTokens;
  // Both or nothing: a cost from half a price would look exact and be wrong.
  if (typeof input !== 'number' || typeof output !== 'number') return undefined;
  return { input, output };
}
