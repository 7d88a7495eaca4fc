import { describe, expect, it } from 'vitest';
import { priceOverrideFromYaml, priceOverrideToYaml } from './pricing-config.ts';

describe('pricing config entries', () => {
  it('map between config.yaml names and the table shape, leaving out what is not set', () => {
    const override = { input: 1, output: 2, cachedInput: 0.5, cacheWrite: 1.5, reasoning: 3 };
    expect(priceOverrideToYaml(override)).toEqual({ input: 1, output: 2, 'cached-input': 0.5, 'cache-write': 1.5, reasoning: 3 });
    expect(priceOverrideFromYaml(priceOverrideToYaml(override))).toEqual(override);
    expect(priceOverrideToYaml({ output: 4, input: undefined })).toStrictEqual({ output: 4 });
    expect(priceOverrideFromYaml({ 'cache-write': 2 })).toStrictEqual({ cacheWrite: 2 });
  });
});
