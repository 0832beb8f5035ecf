import type { GenerationUsageDay } from '../../core/index.ts';
import type { TokenPrice } from '../compare.ts';
import type { ProjectDashboard } from './schema.ts';

/**
 * The price of a provider's tokens, by its stored name; undefined when none is set. The offline
 * rules engine (no provider) costs nothing and is never asked.
 */
export type PriceOf = (providerName: string) => TokenPrice | undefined;

type Tokens = ProjectDashboard['tokens'];

/**
 * Tokens and cost per day and provider, and the totals per provider. A provider without a price
 * gets a null cost (the web app shows "no price set"), never a guessed one.
 *
 * @example
 * tokenCost(days, (name) => (name === 'team-vllm' ? { input: 0.2, output: 0.6 } : undefined))
 */
export function tokenCost(usage: readonly GenerationUsageDay[], priceOf: PriceOf): Tokens {
  const prices = new Map<string, TokenPrice | undefined>();
  const priceFor = (provider: string | null) => {
    if (provider === null) return { input: 0, output: 0 };
    if (!prices.has(provider)) prices.set(provider, priceOf(provider));
    return prices.get(provider);
  };
  const costOf = (price: TokenPrice | undefined, promptTokens: number, completionTokens: number) =>
    price ? (promptTokens * price.input + completionTokens * price.output) / 1_000_000 : null;

  const days: Tokens['days'] = usage.map((entry) => {
    const price = priceFor(entry.providerName);
    return {
      day: entry.day,
      provider: entry.providerName,
      priced: price !== undefined,
      generations: entry.generations,
      promptTokens: entry.promptTokens,
      completionTokens: entry.completionTokens,
      totalTokens: entry.totalTokens,
      costUsd: costOf(price, entry.promptTokens, entry.completionTokens),
    };
  });

  const totals = new Map<string | null, Tokens['providers'][number]>();
  for (const day of days) {
    const total = totals.get(day.provider) ?? {
      provider: day.provider,
      priced: day.priced,
      generations: 0,
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      costUsd: null,
    };
    total.generations += day.generations;
    total.promptTokens += day.promptTokens;
    total.completionTokens += day.completionTokens;
    total.totalTokens += day.totalTokens;
    totals.set(day.provider, total);
  }
  const providers = [...totals.values()].map((total) => ({
    ...total,
    costUsd: costOf(priceFor(total.provider), total.promptTokens, total.completionTokens),
  }));
  providers.sort(
    (left, right) =>
      right.totalTokens - left.totalTokens || (left.provider ?? '').localeCompare(right.provider ?? ''),
  );
  return { days, providers };
}
