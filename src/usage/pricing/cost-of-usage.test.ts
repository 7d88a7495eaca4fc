import { describe, expect, it } from 'vitest';
import { costOfUsage, type BillableUsage } from './cost-of-usage.ts';
import type { ModelPrice } from './model-price.ts';

function usage(fields: Partial<BillableUsage>): BillableUsage {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...fields };
}

const gpt4o: ModelPrice = { provider: 'openai', input: 2.5, cachedInput: 1.25, output: 10 };
const sonnet: ModelPrice = {
  provider: 'anthropic',
  input: 3,
  cachedInput: 0.3,
  cacheWrite: 3.75,
  output: 15,
  longContext: { aboveInputTokens: 200_000, input: 6, cachedInput: 0.6, cacheWrite: 7.5, output: 22.5 },
};

describe('costOfUsage', () => {
  it('charges the uncached remainder at the input price and cache reads at the cached price', () => {
    // 6,000 × $2.50 + 4,000 × $1.25 + 2,000 × $10 = $0.015 + $0.005 + $0.02
    expect(costOfUsage(usage({ inputTokens: 10_000, cachedInputTokens: 4_000, outputTokens: 2_000 }), gpt4o)).toBe(0.04);
  });

  it('charges cache writes at the cache-write price and reasoning as output', () => {
    // 10,000 × $3 + 30,000 × $0.30 + 10,000 × $3.75 + 600 × $15 + 400 × $15
    const cost = costOfUsage(usage({ inputTokens: 50_000, cachedInputTokens: 30_000, cacheWriteTokens: 10_000, outputTokens: 1_000, reasoningTokens: 400 }), sonnet);
    expect(cost).toBe(0.0915);
  });

  it('prices reasoning separately when the model has a reasoning price', () => {
    const price: ModelPrice = { provider: 'custom', input: 1, output: 4, reasoning: 8 };
    // 1,000 × $1 + 400 × $4 + 600 × $8
    expect(costOfUsage(usage({ inputTokens: 1_000, outputTokens: 1_000, reasoningTokens: 600 }), price)).toBe(0.0074);
  });

  it('charges cache writes and cache reads at the input price when the model has no price for them', () => {
    const price: ModelPrice = { provider: 'custom', input: 2, output: 8 };
    // 1,000 input tokens at $2 whatever the cache did, 100 output at $8
    expect(costOfUsage(usage({ inputTokens: 1_000, cachedInputTokens: 300, cacheWriteTokens: 200, outputTokens: 100 }), price)).toBe(0.0028);
  });

  it('uses the long-context tier for every token once the input passes its threshold', () => {
    // At the threshold: 200,000 × $3 + 1,000 × $15
    expect(costOfUsage(usage({ inputTokens: 200_000, outputTokens: 1_000 }), sonnet)).toBe(0.615);
    // Above it: 250,000 × $6 + 1,000 × $22.50
    expect(costOfUsage(usage({ inputTokens: 250_000, outputTokens: 1_000 }), sonnet)).toBe(1.5225);
    // Cached tokens count towards the threshold and switch tier too: 50,000 × $6 + 200,000 × $0.60
    expect(costOfUsage(usage({ inputTokens: 250_000, cachedInputTokens: 200_000 }), sonnet)).toBe(0.42);
  });

  it('never charges more than the totals when sub-counts exceed them', () => {
    // 500 cached of 100 input → 100 cached; 900 reasoning of 50 output → 50 reasoning
    expect(costOfUsage(usage({ inputTokens: 100, cachedInputTokens: 500, outputTokens: 50, reasoningTokens: 900 }), gpt4o)).toBe(0.000625);
    // Cache write capped at what the cache reads left: 100 input, 80 cached, 50 written → 20 written
    expect(costOfUsage(usage({ inputTokens: 100, cachedInputTokens: 80, cacheWriteTokens: 50 }), sonnet)).toBe(0.000099);
  });

  it('is zero for no tokens and ignores negative counts', () => {
    expect(costOfUsage(usage({}), gpt4o)).toBe(0);
    expect(costOfUsage(usage({ inputTokens: -5, outputTokens: -1 }), gpt4o)).toBe(0);
  });

  it('keeps float noise out of the figure', () => {
    // 3 × $0.1 per million would be 3.0000000000000004e-7 in plain floats
    expect(costOfUsage(usage({ inputTokens: 3 }), { provider: 'custom', input: 0.1, output: 0 })).toBe(3e-7);
  });
});
