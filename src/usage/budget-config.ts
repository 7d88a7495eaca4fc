import { z } from 'zod';

export interface BudgetLimits {
  dailyUsd?: number;
  monthlyUsd?: number;
}

export interface BudgetsConfig {
  /** Limits of every client key without its own entry. */
  default?: BudgetLimits;
  /** Client key (as in `api-keys`) → its limits. */
  keys: Record<string, BudgetLimits>;
}

/** Strict: a misspelt limit silently ignored would leave a key without the budget its owner set. */
const limitsSchema = z.strictObject({
  'daily-usd': z.number().positive('must be > 0 (remove the key for no limit)').optional(),
  'monthly-usd': z.number().positive('must be > 0 (remove the key for no limit)').optional(),
});

/** `budgets:` in config.yaml: a client key, or `default`, → its daily and monthly USD limits. */
export const budgetsConfigSchema = z.record(z.string().min(1, 'must not be empty'), limitsSchema);

export type RawBudgetLimits = z.infer<typeof limitsSchema>;

export function budgetLimitsFromYaml(raw: RawBudgetLimits): BudgetLimits {
  const limits: BudgetLimits = {};
  if (raw['daily-usd'] !== undefined) limits.dailyUsd = raw['daily-usd'];
  if (raw['monthly-usd'] !== undefined) limits.monthlyUsd = raw['monthly-usd'];
  return limits;
}

export function budgetLimitsToYaml(limits: BudgetLimits): RawBudgetLimits {
  const raw: RawBudgetLimits = {};
  if (limits.dailyUsd !== undefined) raw['daily-usd'] = limits.dailyUsd;
  if (limits.monthlyUsd !== undefined) raw['monthly-usd'] = limits.monthlyUsd;
  return raw;
}

export function normalizeBudgetsConfig(raw: z.infer<typeof budgetsConfigSchema> | undefined): BudgetsConfig {
  const config: BudgetsConfig = { keys: {} };
  for (const [key, limits] of Object.entries(raw ?? {})) {
    if (key === 'default') config.default = budgetLimitsFromYaml(limits);
    else config.keys[key] = budgetLimitsFromYaml(limits);
  }
  return config;
}
