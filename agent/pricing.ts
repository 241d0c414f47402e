/**
 * Prices per million tokens, from Anthropic's published price list. Cache writes (5-minute TTL)
 * cost 1.25× the input price, cache reads 0.1×. Dated snapshots (`claude-sonnet-4-5-20250929`)
 * match their family by prefix.
 */
import type { TokenUsage } from './events.js';

export interface ModelPrice {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
};

export const CACHE_WRITE_MULTIPLIER = 1.25;
export const CACHE_READ_MULTIPLIER = 0.1;

/** The price of a model id: exact, else the longest family name it starts with (`<family>-…`). */
export function priceFor(model: string): ModelPrice | undefined {
  const exact = PRICES[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const family of Object.keys(PRICES)) {
    if (model.startsWith(`${family}-`) && (!best || family.length > best.length)) best = family;
  }
  return best ? PRICES[best] : undefined;
}

export interface Cost {
  cost_usd: number | null;
  /** Said when the cost is unknown. */
  note?: string;
}

export function costOf(model: string, usage: TokenUsage): Cost {
  const price = priceFor(model);
  if (!price) return { cost_usd: null, note: `no price known for model "${model}"; cost not computed` };
  const micro =
    usage.input_tokens * price.input +
    usage.output_tokens * price.output +
    usage.cache_creation_input_tokens * price.input * CACHE_WRITE_MULTIPLIER +
    usage.cache_read_input_tokens * price.input * CACHE_READ_MULTIPLIER;
  return { cost_usd: micro / 1_000_000 };
}

/** `$0.0123` for people; `n/a` when unknown. */
export function formatCost(cost: number | null): string {
  if (cost === null) return 'n/a';
  return cost >= 1 ? `$${cost.toFixed(2)}` : `$${cost.toFixed(4)}`;
}
