import { costOfUsage, type BillableUsage } from './cost-of-usage.ts';
import { DEFAULT_PRICES } from './default-prices.ts';
import type { PriceOverride } from '../../config/types.ts';
import { PRICE_FIELDS, type ModelPrice } from './model-price.ts';
import { normalizeModelName, plainModelName, stripEffortSuffix } from './normalize-model-name.ts';

export type PriceSource = 'default' | 'override' | 'default+override';

export interface ResolvedPrice {
  /** The table entry the model is priced as. */
  model: string;
  price: ModelPrice;
  source: PriceSource;
}

export interface ModelCost {
  costUsd: number;
  /** False when no price is known for the model: the cost is 0 and must not be read as free. */
  priced: boolean;
  /** The table entry used. */
  pricedAs?: string;
}

/** Distinct model names seen in traffic are few; the bound only stops a client inventing names from growing it. */
const RESOLVED_CACHE_LIMIT = 4096;

/** Normalised model name or alias → built-in entry. */
const defaultIndex = new Map<string, ResolvedPrice>();
for (const [model, { aliases, ...price }] of Object.entries(DEFAULT_PRICES)) {
  const entry: ResolvedPrice = { model, price, source: 'default' };
  for (const name of [model, ...(aliases ?? [])]) defaultIndex.set(normalizeModelName(name), entry);
}

/** The built-in price a model name falls under (normalised name or alias, then without an effort suffix). */
function builtInPriceOf(model: string): ResolvedPrice | undefined {
  const normalized = normalizeModelName(model);
  return defaultIndex.get(normalized) ?? defaultIndex.get(stripEffortSuffix(normalized) ?? '');
}

/** A name that carries a release (date, `-preview`, revision) overrides that release only. */
function isReleaseSpecific(model: string): boolean {
  return normalizeModelName(model) !== plainModelName(model).replaceAll('.', '-');
}

/** Checks overrides as config and the API accept them; returns the problems (empty when valid). */
export function priceOverrideProblems(overrides: Readonly<Record<string, PriceOverride>>): string[] {
  const problems: string[] = [];
  for (const [model, override] of Object.entries(overrides)) {
    if (!plainModelName(model)) problems.push('a model name must not be empty');
    for (const field of PRICE_FIELDS) {
      const value = override[field];
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) problems.push(`${model}: ${field} must be a number ≥ 0`);
    }
    if (!builtInPriceOf(model) && (override.input === undefined || override.output === undefined)) {
      problems.push(`${model}: no built-in price to start from, so both input and output are needed`);
    }
  }
  return problems;
}

/**
 * Built-in prices plus overrides from config or the API. A model name is matched exactly against
 * release-specific overrides first, then in its normalised form (see `normalizeModelName`) against
 * model overrides and built-in prices, then without a reasoning-effort suffix. An override replaces
 * the fields it names and the built-in long-context tier of its model; the rest comes from the
 * built-in price.
 */
export class PricingTable {
  private overrideMap: Readonly<Record<string, PriceOverride>> = {};
  private exact = new Map<string, ResolvedPrice>();
  private normalized = new Map<string, ResolvedPrice>();
  private readonly resolved = new Map<string, ResolvedPrice | null>();

  constructor(overrides: Readonly<Record<string, PriceOverride>> = {}) {
    this.setOverrides(overrides);
  }

  /** Replaces every override at once; throws (keeping the previous ones) when one is invalid. */
  setOverrides(overrides: Readonly<Record<string, PriceOverride>>): void {
    const problems = priceOverrideProblems(overrides);
    if (problems.length > 0) throw new Error(`invalid pricing: ${problems.join('; ')}`);
    const normalized = new Map(defaultIndex);
    const exact = new Map<string, ResolvedPrice>();
    for (const [model, override] of Object.entries(overrides)) {
      const base = builtInPriceOf(model);
      // The built-in long-context tier priced the built-in figures; it cannot describe overridden ones.
      const { longContext: _replaced, ...basePrices } = base?.price ?? { provider: 'custom', input: 0, output: 0 };
      const price: ModelPrice = basePrices;
      for (const field of PRICE_FIELDS) if (override[field] !== undefined) price[field] = override[field];
      const entry: ResolvedPrice = { model, price, source: base ? 'default+override' : 'override' };
      exact.set(plainModelName(model), entry);
      if (isReleaseSpecific(model)) continue;
      normalized.set(normalizeModelName(model), entry);
      // Aliases of the overridden built-in entry name the same model, so the override reaches them too.
      if (base) for (const [key, value] of normalized) if (value === base) normalized.set(key, entry);
    }
    this.overrideMap = structuredClone(overrides);
    this.exact = exact;
    this.normalized = normalized;
    this.resolved.clear();
  }

  overrides(): Readonly<Record<string, PriceOverride>> {
    return this.overrideMap;
  }

  lookup(model: string): ResolvedPrice | undefined {
    const cached = this.resolved.get(model);
    if (cached !== undefined) return cached ?? undefined;
    const normalized = normalizeModelName(model);
    const found = this.exact.get(plainModelName(model)) ?? this.normalized.get(normalized) ?? this.normalized.get(stripEffortSuffix(normalized) ?? '');
    if (this.resolved.size >= RESOLVED_CACHE_LIMIT) this.resolved.clear();
    this.resolved.set(model, found ?? null);
    return found;
  }

  /** The cost of an attempt's usage when served by `model` (the upstream's name for it). */
  computeCost(usage: BillableUsage, model: string): ModelCost {
    const found = this.lookup(model);
    if (!found) return { costUsd: 0, priced: false };
    return { costUsd: costOfUsage(usage, found.price), priced: true, pricedAs: found.model };
  }

  /** Every entry in force (built-in prices not overridden, and overrides), by model name. */
  effective(): Record<string, Omit<ResolvedPrice, 'model'>> {
    const table: Record<string, Omit<ResolvedPrice, 'model'>> = {};
    const entries = new Set([...this.normalized.values(), ...this.exact.values()]);
    for (const { model, price, source } of [...entries].sort((a, b) => a.model.localeCompare(b.model))) table[model] = { price, source };
    return table;
  }
}
