import type { PriceOverride } from '../../config/types.ts';

/** One model's entry under `pricing:` in config.yaml. */
export interface RawPriceEntry {
  input?: number;
  output?: number;
  'cached-input'?: number;
  'cache-write'?: number;
  reasoning?: number;
}

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
