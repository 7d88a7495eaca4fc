import { describe, expect, it } from 'vitest';
import type { BillableUsage } from './cost-of-usage.ts';
import { DEFAULT_PRICES } from './default-prices.ts';
import { normalizeModelName } from './normalize-model-name.ts';
import { PricingTable, priceOverrideProblems } from './pricing-table.ts';

const oneMillionIn: BillableUsage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
const oneMillionOut: BillableUsage = { ...oneMillionIn, inputTokens: 0, outputTokens: 1_000_000 };

describe('built-in prices', () => {
  it('has one entry per normalised name, aliases included', () => {
    const seen = new Map<string, string>();
    for (const [model, { aliases }] of Object.entries(DEFAULT_PRICES)) {
      for (const name of [model, ...(aliases ?? [])]) {
        const key = normalizeModelName(name);
        expect(seen.get(key), `${name} collides with ${seen.get(key)}`).toBeUndefined();
        seen.set(key, model);
      }
    }
  });

  it('are plausible: cache reads cost at most the input, cache writes at least the input, output at least the input', () => {
    for (const [model, price] of Object.entries(DEFAULT_PRICES)) {
      for (const tier of [price, price.longContext].filter((tier) => tier !== undefined)) {
        expect(tier.input, model).toBeGreaterThan(0);
        expect(tier.output, model).toBeGreaterThanOrEqual(tier.input);
        if (tier.cachedInput !== undefined) expect(tier.cachedInput, model).toBeLessThanOrEqual(tier.input);
        if (tier.cacheWrite !== undefined) expect(tier.cacheWrite, model).toBeGreaterThanOrEqual(tier.input);
      }
      expect(['openai', 'anthropic', 'gemini']).toContain(price.provider);
    }
  });

  it('cover the common current models of each provider', () => {
    const table = new PricingTable();
    for (const model of ['gpt-4o', 'gpt-4.1-mini', 'gpt-5', 'gpt-5-nano', 'o3', 'o4-mini', 'claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'gemini-2.5-pro', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview', 'gemini-3-flash-preview']) {
      expect(table.lookup(model), model).toBeDefined();
    }
  });
});

describe('PricingTable.lookup', () => {
  const table = new PricingTable();

  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['claude-opus-4-0', 'claude-opus-4'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gemini-2.5-flash-lite-preview-09-2025', 'gemini-2.5-flash-lite'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['gpt-5-codex', 'gpt-5'],
    ['gpt-5-codex-high', 'gpt-5'],
    ['gpt-5.1-codex-max-xhigh', 'gpt-5.1'],
    ['gpt-5-mini', 'gpt-5-mini'],
    ['claude-sonnet-4-5(16000)', 'claude-sonnet-4-5'],
  ])('%s is priced as %s', (name, entry) => {
    expect(table.lookup(name)?.model).toBe(entry);
  });

  it('does not guess: an unknown model is unpriced rather than priced like a neighbour', () => {
    expect(table.lookup('gpt-4')).toBeUndefined();
    expect(table.lookup('claude-sonnet-9')).toBeUndefined();
    expect(table.computeCost(oneMillionIn, 'llama-3.3-70b')).toEqual({ costUsd: 0, priced: false });
  });

  it('computes a cost with the matched entry', () => {
    // gemini-2.5-flash: 1M input × $0.30 ; claude-haiku-4-5: 1M output × $5
    expect(table.computeCost(oneMillionIn, 'gemini-2.5-flash')).toEqual({ costUsd: 0.3, priced: true, pricedAs: 'gemini-2.5-flash' });
    expect(table.computeCost(oneMillionOut, 'claude-haiku-4-5-20251001').costUsd).toBe(5);
  });
});

describe('PricingTable overrides', () => {
  it('merge over the built-in price, reach every name of the model and drop the built-in long-context tier', () => {
    const table = new PricingTable({ 'claude-sonnet-4.5': { input: 2 } });
    const found = table.lookup('claude-sonnet-4-5-20250929');
    expect(found?.source).toBe('default+override');
    expect(found?.price).toEqual({ provider: 'anthropic', input: 2, cachedInput: 0.3, cacheWrite: 3.75, output: 15 });
    expect(table.lookup('claude-sonnet-4-5')).toBe(found);
    // 300,000 input tokens at the override's $2, not the built-in $6 long-context price
    expect(table.computeCost({ ...oneMillionIn, inputTokens: 300_000 }, 'claude-sonnet-4-5').costUsd).toBe(0.6);
  });

  it('reach the aliases of the model they override', () => {
    const table = new PricingTable({ 'gpt-5': { output: 12 } });
    expect(table.computeCost(oneMillionOut, 'gpt-5-codex').costUsd).toBe(12);
    expect(table.computeCost(oneMillionOut, 'gpt-5-chat-latest').costUsd).toBe(12);
    expect(table.computeCost(oneMillionOut, 'gpt-5-mini').costUsd).toBe(2);
  });

  it('name one release only when the name carries a date', () => {
    const table = new PricingTable({ 'gpt-4o-2024-05-13': { input: 5, output: 15 } });
    expect(table.computeCost(oneMillionIn, 'gpt-4o-2024-05-13').costUsd).toBe(5);
    expect(table.computeCost(oneMillionIn, 'openai/GPT-4o-2024-05-13').costUsd).toBe(5);
    expect(table.computeCost(oneMillionIn, 'gpt-4o-2024-08-06').costUsd).toBe(2.5);
    expect(table.computeCost(oneMillionIn, 'gpt-4o').costUsd).toBe(2.5);
    // The release keeps the model's other prices: cached input stays $1.25.
    expect(table.lookup('gpt-4o-2024-05-13')?.price.cachedInput).toBe(1.25);
  });

  it('price models the built-in table does not know', () => {
    const table = new PricingTable({ 'my-local-llm': { input: 0, output: 0 }, 'acme-large': { input: 1, output: 3, 'cachedInput': 0.1 } });
    expect(table.computeCost(oneMillionOut, 'my-local-llm')).toEqual({ costUsd: 0, priced: true, pricedAs: 'my-local-llm' });
    expect(table.lookup('acme-large')).toEqual({ model: 'acme-large', source: 'override', price: { provider: 'custom', input: 1, output: 3, cachedInput: 0.1 } });
  });

  it('refuse invalid entries and keep the previous overrides', () => {
    const table = new PricingTable({ 'gpt-4o': { input: 3 } });
    expect(() => table.setOverrides({ 'acme-large': { input: 1 } })).toThrow('acme-large: no built-in price to start from, so both input and output are needed');
    expect(() => table.setOverrides({ 'gpt-4o': { output: -1 } })).toThrow('gpt-4o: output must be a number ≥ 0');
    expect(() => table.setOverrides({ 'gpt-4o': { output: Number.NaN } })).toThrow('output must be a number');
    expect(table.overrides()).toEqual({ 'gpt-4o': { input: 3 } });
    expect(table.computeCost(oneMillionIn, 'gpt-4o').costUsd).toBe(3);
  });

  it('take effect at once, replacing cached lookups', () => {
    const table = new PricingTable();
    expect(table.computeCost(oneMillionIn, 'o3').costUsd).toBe(2);
    table.setOverrides({ o3: { input: 1 } });
    expect(table.computeCost(oneMillionIn, 'o3').costUsd).toBe(1);
    table.setOverrides({});
    expect(table.computeCost(oneMillionIn, 'o3').costUsd).toBe(2);
  });

  it('list in the effective table in place of the entries they replace', () => {
    const table = new PricingTable({ 'gpt-4o': { input: 3 }, 'gpt-4o-2024-05-13': { input: 5, output: 15 }, 'my-local-llm': { input: 0, output: 0 } });
    const effective = table.effective();
    expect(effective['gpt-4o']).toEqual({ source: 'default+override', price: { provider: 'openai', input: 3, cachedInput: 1.25, output: 10 } });
    expect(effective['gpt-4o-2024-05-13']?.source).toBe('default+override');
    expect(effective['my-local-llm']?.source).toBe('override');
    expect(effective['o3']).toEqual({ source: 'default', price: DEFAULT_PRICES['o3'] });
    expect(Object.keys(effective)).toHaveLength(Object.keys(DEFAULT_PRICES).length + 2);
    expect(Object.keys(effective)).toEqual([...Object.keys(effective)].sort((a, b) => a.localeCompare(b)));
  });

  it('problems are listed for every entry', () => {
    expect(priceOverrideProblems({ '': { input: 1, output: 1 }, x: { reasoning: -2 } })).toEqual([
      'a model name must not be empty',
      'x: reasoning must be a number ≥ 0',
      'x: no built-in price to start from, so both input and output are needed',
    ]);
  });
});
