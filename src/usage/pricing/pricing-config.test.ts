import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.ts';
import { normalizePricingConfig, priceOverrideFromYaml, priceOverrideToYaml, pricingConfigSchema } from './pricing-config.ts';

describe('pricing config', () => {
  it('reads YAML field names into the table shape', () => {
    const raw = pricingConfigSchema.parse({
      'gpt-4o': { input: 2, 'cached-input': 1, 'cache-write': 2.5, reasoning: 12 },
      'my-local-llm': { input: 0, output: 0 },
    });
    expect(normalizePricingConfig(raw)).toEqual({
      'gpt-4o': { input: 2, cachedInput: 1, cacheWrite: 2.5, reasoning: 12 },
      'my-local-llm': { input: 0, output: 0 },
    });
    expect(normalizePricingConfig(undefined)).toEqual({});
  });

  it('rejects misspelt fields and negative prices', () => {
    expect(pricingConfigSchema.safeParse({ 'gpt-4o': { cached_input: 1 } }).success).toBe(false);
    expect(pricingConfigSchema.safeParse({ 'gpt-4o': { input: -1 } }).success).toBe(false);
    expect(pricingConfigSchema.safeParse({ 'gpt-4o': { input: '1' } }).success).toBe(false);
  });

  it('refuses a model without a built-in price that lacks input or output', () => {
    expect(() => normalizePricingConfig({ 'acme-large': { input: 1 } }, 'config.yaml')).toThrow(ConfigError);
    expect(() => normalizePricingConfig({ 'acme-large': { input: 1 } }, 'config.yaml')).toThrow(
      'config.yaml: pricing: acme-large: no built-in price to start from, so both input and output are needed',
    );
  });

  it('writes back the names it reads', () => {
    const override = { input: 1, output: 2, cachedInput: 0.5, cacheWrite: 1.5, reasoning: 3 };
    expect(priceOverrideToYaml(override)).toEqual({ input: 1, output: 2, 'cached-input': 0.5, 'cache-write': 1.5, reasoning: 3 });
    expect(priceOverrideFromYaml(priceOverrideToYaml(override))).toEqual(override);
    expect(priceOverrideToYaml({ output: 4 })).toEqual({ output: 4 });
  });
});
