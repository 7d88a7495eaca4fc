import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../pricing/default-prices.ts';
import { startUsageApiHarness, type UsageApiHarness } from '../test-support/usage-api-harness.ts';
import { USAGE_API_CONFIG } from '../test-support/usage-api-config.ts';

const MILLION_IN = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
let harness: UsageApiHarness;

beforeEach(async () => {
  harness = await startUsageApiHarness(USAGE_API_CONFIG);
});

afterEach(async () => {
  await harness.close();
});

const costOfMillionIn = (model: string) => harness.runtime.pricing.computeCost(MILLION_IN, model).costUsd;

describe('GET /api/pricing', () => {
  it('shows every price in force with the fallbacks filled in, and the overrides as set', async () => {
    const { status, json } = await harness.call('GET', '/api/pricing');
    expect(status).toBe(200);
    expect(json.unit).toBe('USD per 1M tokens');
    expect(json.defaultsAsOf).toBe('2026-11-27');
    expect(json.overrides).toEqual({ 'acme-large': { input: 1, output: 3 } });
    expect(json.pricing['acme-large']).toEqual({ provider: 'custom', input: 1, output: 3, cachedInput: 1, cacheWrite: 1, reasoning: 3, source: 'override' });
    expect(json.pricing['gpt-4o']).toEqual({ provider: 'openai', input: 2.5, output: 10, cachedInput: 1.25, cacheWrite: 2.5, reasoning: 10, source: 'default' });
    expect(json.pricing['gemini-2.5-pro'].longContext).toEqual({ aboveInputTokens: 200_000, input: 2.5, output: 15, cachedInput: 0.25, cacheWrite: 2.5, reasoning: 15 });
    expect(Object.keys(json.pricing)).toHaveLength(Object.keys(DEFAULT_PRICES).length + 1);
  });
});

describe('POST and PATCH /api/pricing', () => {
  it('merge overrides, write them to config.yaml next to its comments and price with them at once', async () => {
    const { status, json } = await harness.call('POST', '/api/pricing', { 'gpt-4o': { input: 3, cached: 1 } });
    expect(status).toBe(200);
    expect(json.pricing['gpt-4o']).toMatchObject({ input: 3, cachedInput: 1, output: 10, source: 'default+override' });
    const config = await harness.configText();
    expect(config).toContain('pricing:\n  # our own deployment\n  acme-large: {input: 1, output: 3}\n  gpt-4o: {input: 3, cached-input: 1}\n');
    expect(costOfMillionIn('gpt-4o-2024-11-20')).toBe(3);

    await harness.call('PATCH', '/api/pricing', { openai: { 'gpt-4o': { output: 12 } } });
    expect(harness.runtime.pricing.overrides()['gpt-4o']).toEqual({ input: 3, cachedInput: 1, output: 12 });
    await harness.call('PATCH', '/api/pricing', { 'gpt-4o': { input: null, 'cache-write': 2 } });
    expect(harness.runtime.pricing.overrides()['gpt-4o']).toEqual({ cachedInput: 1, output: 12, cacheWrite: 2 });
    expect(await harness.configText()).toContain('  gpt-4o: {output: 12, cached-input: 1, cache-write: 2}\n');
  });

  it('remove a model override given null', async () => {
    await harness.call('POST', '/api/pricing', { 'acme-large': null });
    expect(await harness.configText()).not.toContain('pricing:');
    expect(harness.runtime.pricing.computeCost(MILLION_IN, 'acme-large')).toEqual({ costUsd: 0, priced: false });
  });

  it('refuse what they cannot apply and leave the config and the table as they were', async () => {
    const before = await harness.configText();
    const refused = async (body: unknown) => harness.call('POST', '/api/pricing', body);
    expect(await refused({ 'mystery-model': { input: 1 } })).toMatchObject({
      status: 400,
      json: { error: 'invalid body: mystery-model: no built-in price to start from, so both input and output are needed' },
    });
    expect((await refused({ 'gpt-4o': { input: -1 } })).json.error).toBe('invalid body: gpt-4o: input: must be ≥ 0');
    expect((await refused({ 'gpt-4o': { input: '1' } })).status).toBe(400);
    expect((await refused({ 'gpt-4o': { weekly: 1, input: 1 } })).json.error).toBe('invalid body: gpt-4o: Unrecognized key: "weekly"');
    expect((await refused({ 'gpt-4o': 3 })).json.error).toBe('invalid body: gpt-4o: expected an object of prices or null');
    expect((await refused({})).status).toBe(400);
    expect((await refused('[1]')).status).toBe(400);
    expect(await harness.configText()).toBe(before);
    expect(costOfMillionIn('acme-large')).toBe(1);
  });
});

describe('PUT /api/pricing', () => {
  it('replaces every override', async () => {
    await harness.call('PUT', '/api/pricing', { o3: { input: 1.5 } });
    expect(harness.runtime.pricing.overrides()).toEqual({ o3: { input: 1.5 } });
    expect(await harness.configText()).toContain('pricing:\n  o3: {input: 1.5}\n');
    expect(costOfMillionIn('o3-2025-04-16')).toBe(1.5);
    expect(harness.runtime.pricing.computeCost(MILLION_IN, 'acme-large').priced).toBe(false);
  });
});

describe('DELETE /api/pricing', () => {
  it('drops one override, or all of them', async () => {
    await harness.call('POST', '/api/pricing', { o3: { input: 1.5 } });
    expect((await harness.call('DELETE', '/api/pricing?model=o3')).status).toBe(200);
    expect(harness.runtime.pricing.overrides()).toEqual({ 'acme-large': { input: 1, output: 3 } });
    expect(await harness.call('DELETE', '/api/pricing?model=o3')).toMatchObject({ status: 404, json: { error: 'no pricing override for o3' } });
    expect((await harness.call('DELETE', '/api/pricing')).json.overrides).toEqual({});
    expect(await harness.configText()).not.toContain('pricing:');
  });
});

describe('GET /api/pricing/defaults', () => {
  it('lists the built-in prices with their date, sources and aliases', async () => {
    const { json } = await harness.call('GET', '/api/pricing/defaults');
    expect(json.asOf).toBe('2026-11-27');
    expect(Object.keys(json.sources)).toEqual(['openai', 'anthropic', 'gemini']);
    expect(json.pricing['gpt-5']).toMatchObject({ provider: 'openai', input: 1.25, cachedInput: 0.125, output: 10, aliases: ['gpt-5-chat', 'gpt-5-codex'] });
    expect(json.pricing['acme-large']).toBeUndefined();
  });
});

describe('GET /api/pricing/models', () => {
  it('shows how each served model is priced, and which are not', async () => {
    await harness.call('DELETE', '/api/pricing?model=acme-large');
    const { json } = await harness.call('GET', '/api/pricing/models');
    expect(json.models.map((row: any) => [row.id, row.upstreamModel, row.priced, row.pricedAs, row.source])).toEqual([
      ['sonnet', 'claude-sonnet-4-5-20250929', true, 'claude-sonnet-4-5', 'default'],
      ['acme-large', 'acme-large', false, null, null],
      ['gpt-4o', 'gpt-4o', true, 'gpt-4o', 'default'],
    ]);
    expect(json.models[1].price).toBeNull();
  });
});
