import { z } from 'zod';
import { ManagementError } from '../../server/management/management-route.ts';
import type { PriceOverride } from '../../config/types.ts';
import { describeZodIssues } from './describe-zod-issues.ts';

const usd = z.number().min(0, 'must be ≥ 0').nullable().optional();

/**
 * One model's prices in a request body. camelCase is this API's spelling; config.yaml's kebab-case
 * and OmniRoute's `cached` / `cache_creation` are accepted too. A null field removes that override.
 */
const priceFields = z.strictObject({
  input: usd,
  output: usd,
  cachedInput: usd,
  'cached-input': usd,
  cached: usd,
  cacheWrite: usd,
  'cache-write': usd,
  cache_creation: usd,
  reasoning: usd,
});

const PRICE_FIELD_NAMES = new Set(Object.keys(priceFields.shape));

/** A field set to a number, or to null (remove that override). */
export type PriceChange = { [Field in keyof PriceOverride]?: number | null };

function priceChangeOf(model: string, value: unknown): PriceChange {
  const parsed = priceFields.safeParse(value);
  if (!parsed.success) throw new ManagementError(400, `invalid body: ${model}: ${describeZodIssues(parsed.error)}`);
  const fields = parsed.data;
  const change: PriceChange = {};
  const pick = (...values: Array<number | null | undefined>) => values.find((candidate) => candidate !== undefined);
  const input = fields.input;
  const output = fields.output;
  const cachedInput = pick(fields.cachedInput, fields['cached-input'], fields.cached);
  const cacheWrite = pick(fields.cacheWrite, fields['cache-write'], fields.cache_creation);
  if (input !== undefined) change.input = input;
  if (output !== undefined) change.output = output;
  if (cachedInput !== undefined) change.cachedInput = cachedInput;
  if (cacheWrite !== undefined) change.cacheWrite = cacheWrite;
  if (fields.reasoning !== undefined) change.reasoning = fields.reasoning;
  return change;
}

/** A model's prices, as opposed to OmniRoute's provider level: any price field name makes it one (unknown ones are then reported). */
function isPriceObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 0 || keys.some((key) => PRICE_FIELD_NAMES.has(key));
}

/**
 * `{model: {input, output, ...} | null}`, or OmniRoute's `{provider: {model: {...}}}` (the provider
 * level is dropped: prices here are per model). Null removes a model's override.
 */
export function priceChangesOf(body: Record<string, unknown>): Map<string, PriceChange | null> {
  const changes = new Map<string, PriceChange | null>();
  for (const [name, value] of Object.entries(body)) {
    if (value === null || isPriceObject(value)) {
      changes.set(name, value === null ? null : priceChangeOf(name, value));
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) throw new ManagementError(400, `invalid body: ${name}: expected an object of prices or null`);
    for (const [model, prices] of Object.entries(value as Record<string, unknown>)) {
      changes.set(model, prices === null ? null : priceChangeOf(`${name}.${model}`, prices));
    }
  }
  return changes;
}

/** The override after a change: named fields set, null fields removed; undefined when nothing is left. */
export function applyPriceChange(current: PriceOverride | undefined, change: PriceChange): PriceOverride | undefined {
  const next: PriceOverride = { ...current };
  for (const [field, value] of Object.entries(change) as Array<[keyof PriceOverride, number | null]>) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return Object.keys(next).length > 0 ? next : undefined;
}
