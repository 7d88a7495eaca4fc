import { z } from 'zod';
import { ConfigError } from '../../config/config-error.ts';
import type { PriceOverride } from './model-price.ts';
import { priceOverrideProblems } from './pricing-table.ts';

const usdPerMillion = z.number().min(0, 'must be ≥ 0');

/** Strict: a misspelt price field silently ignored would misstate every cost of that model. */
const priceEntrySchema = z.strictObject({
  input: usdPerMillion.optional(),
  output: usdPerMillion.optional(),
  'cached-input': usdPerMillion.optional(),
  'cache-write': usdPerMillion.optional(),
  reasoning: usdPerMillion.optional(),
});

/** `pricing:` in config.yaml: model name → USD per million tokens (any subset of the fields). */
export const pricingConfigSchema = z.record(z.string().min(1, 'must not be empty'), priceEntrySchema);

export type RawPriceEntry = z.infer<typeof priceEntrySchema>;

export function priceOverrideFromYaml(entry: RawPriceEntry): PriceOverride {
  const override: PriceOverride = {};
  if (entry.input !== undefined) override.input = entry.input;
  if (entry.output !== undefined) override.output = entry.output;
  if (entry['cached-input'] !== undefined) override.cachedInput = entry['cached-input'];
  if (entry['cache-write'] !== undefined) override.cacheWrite = entry['cache-write'];
  if (entry.reasoning !== undefined) override.reasoning = entry.reasoning;
  return override;
}

export function priceOverrideToYaml(override: PriceOverride): RawPriceEntry {
  const entry: RawPriceEntry = {};
  if (override.input !== undefined) entry.input = override.input;
  if (override.output !== undefined) entry.output = override.output;
  if (override.cachedInput !== undefined) entry['cached-input'] = override.cachedInput;
  if (override.cacheWrite !== undefined) entry['cache-write'] = override.cacheWrite;
  if (override.reasoning !== undefined) entry.reasoning = override.reasoning;
  return entry;
}

/** The validated `pricing:` section as the pricing table takes it; a model without a built-in price needs input and output. */
export function normalizePricingConfig(raw: z.infer<typeof pricingConfigSchema> | undefined, file = 'config'): Record<string, PriceOverride> {
  const overrides = Object.fromEntries(Object.entries(raw ?? {}).map(([model, entry]) => [model, priceOverrideFromYaml(entry)]));
  const problems = priceOverrideProblems(overrides);
  if (problems.length > 0) throw new ConfigError(`${file}: pricing: ${problems.join('; ')}`);
  return overrides;
}
