import type { ModelPrice } from './model-price.ts';

/** Token counts as the IR reports them: input includes cached and cache-write tokens, output includes reasoning. */
export interface BillableUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/** Costs are kept to a ten-billionth of a dollar: finer than any price, coarse enough to hide float noise. */
const COST_SCALE = 1e10;

function between(value: number, max: number): number {
  return Math.min(Math.max(value, 0), Math.max(max, 0));
}

/**
 * USD cost of one attempt's usage. The uncached remainder of the input is charged at the input
 * price, cache reads at the cached-input price, cache writes at the cache-write price; visible
 * output at the output price and reasoning at the reasoning price. A request above a long-context
 * threshold pays that tier's prices on every token. Sub-counts larger than their total (an upstream
 * that breaks the IR rule) are capped, so a cost is never inflated.
 */
export function costOfUsage(usage: BillableUsage, price: ModelPrice): number {
  const input = Math.max(usage.inputTokens, 0);
  const output = Math.max(usage.outputTokens, 0);
  const tier = price.longContext && input > price.longContext.aboveInputTokens ? price.longContext : price;
  const cached = between(usage.cachedInputTokens, input);
  const written = between(usage.cacheWriteTokens, input - cached);
  const reasoning = between(usage.reasoningTokens, output);
  const microDollars =
    (input - cached - written) * tier.input +
    cached * (tier.cachedInput ?? tier.input) +
    written * (tier.cacheWrite ?? tier.input) +
    (output - reasoning) * tier.output +
    reasoning * (tier.reasoning ?? tier.output);
  return Math.round((microDollars / 1_000_000) * COST_SCALE) / COST_SCALE;
}
