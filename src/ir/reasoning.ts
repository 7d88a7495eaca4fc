/** Effort levels shared by the dialects (OpenAI reasoning_effort, Claude effort, thinking suffixes). */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/**
 * What the client asked for. Either an effort or a token budget (or both, when the client
 * dialect carried both). `enabled: false` turns thinking off; `adaptive` lets the model decide
 * (Claude `thinking: {type: "adaptive"}`, Gemini budget -1).
 */
export interface ReasoningConfig {
  enabled: boolean;
  effort?: ReasoningEffort;
  budgetTokens?: number;
  adaptive?: boolean;
  /** Whether the client wants the reasoning text back (Gemini includeThoughts, Responses summary). */
  includeThoughts?: boolean;
}

/** Level → budget table (CLIProxyAPI's thresholds, so suffixes behave the same in both gateways). */
const BUDGET_BY_EFFORT: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 128000,
};

export function effortToBudget(effort: ReasoningEffort): number {
  return BUDGET_BY_EFFORT[effort];
}

/** The smallest level whose budget covers the given budget. */
export function budgetToEffort(budget: number): ReasoningEffort {
  if (budget <= 0) return 'none';
  for (const effort of ['minimal', 'low', 'medium', 'high', 'xhigh'] as const) {
    if (budget <= BUDGET_BY_EFFORT[effort]) return effort;
  }
  return 'max';
}

/** Budget for a config: the explicit budget wins, else the effort's budget, else `fallback`. */
export function resolveReasoningBudget(config: ReasoningConfig, fallback: number): number {
  if (config.budgetTokens !== undefined && config.budgetTokens > 0) return config.budgetTokens;
  if (config.effort) return effortToBudget(config.effort);
  return fallback;
}

/** Effort for a config: the explicit effort wins, else derived from the budget, else `fallback`. */
export function resolveReasoningEffort(config: ReasoningConfig, fallback: ReasoningEffort): ReasoningEffort {
  if (config.effort) return config.effort;
  if (config.budgetTokens !== undefined) return budgetToEffort(config.budgetTokens);
  return fallback;
}

export function isReasoningEffort(value: unknown): value is ReasoningEffort {
  return typeof value === 'string' && value in BUDGET_BY_EFFORT;
}
