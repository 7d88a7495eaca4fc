import type { ReasoningConfig, ReasoningEffort } from '../../ir/reasoning.ts';
import { resolveReasoningBudget } from '../../ir/reasoning.ts';

/**
 * A reasoning config as `thinkingConfig` for the given model. Gemini 3 takes a `thinkingLevel`
 * (and cannot turn thinking off, only down); Gemini 2.5 a `thinkingBudget` within its model's
 * range. Both accept -1 for dynamic thinking and never both fields at once.
 */
export function encodeGeminiThinkingConfig(reasoning: ReasoningConfig, model: string): Record<string, unknown> {
  const family = modelFamily(model);
  if (!reasoning.enabled) {
    if (family.levels) return { thinkingLevel: family.flash ? 'MINIMAL' : 'LOW' };
    return { thinkingBudget: 0 };
  }
  const config: Record<string, unknown> = {};
  if (reasoning.adaptive) config.thinkingBudget = -1;
  else if (family.levels && reasoning.effort) config.thinkingLevel = thinkingLevel(reasoning.effort, family.flash);
  else if (family.levels && reasoning.budgetTokens !== undefined) config.thinkingBudget = reasoning.budgetTokens;
  else if (!family.levels) config.thinkingBudget = clampBudget(resolveReasoningBudget(reasoning, -1), family);
  // Clients of other dialects that turn thinking on expect to see it.
  config.includeThoughts = reasoning.includeThoughts ?? true;
  return config;
}

interface ModelFamily {
  /** Gemini 3 and later: thinking levels. */
  levels: boolean;
  flash: boolean;
  pro: boolean;
}

function modelFamily(model: string): ModelFamily {
  const match = /gemini-(\d+)/.exec(model);
  return {
    levels: match !== null && Number(match[1]) >= 3,
    flash: model.includes('flash'),
    pro: model.includes('pro'),
  };
}

/** Gemini 3 Pro knows LOW and HIGH only; Flash also MINIMAL and MEDIUM. */
function thinkingLevel(effort: ReasoningEffort, flash: boolean): string {
  switch (effort) {
    case 'none':
    case 'minimal':
      return flash ? 'MINIMAL' : 'LOW';
    case 'low':
      return 'LOW';
    case 'medium':
      return flash ? 'MEDIUM' : 'HIGH';
    default:
      return 'HIGH';
  }
}

/** Out-of-range budgets are a 400: Flash allows up to 24576, Pro 128 to 32768. */
function clampBudget(budget: number, family: ModelFamily): number {
  if (budget <= 0) return budget;
  const max = family.flash ? 24576 : 32768;
  const min = family.pro ? 128 : 1;
  return Math.min(Math.max(budget, min), max);
}
