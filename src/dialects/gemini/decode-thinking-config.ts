import { invalidRequest } from '../../ir/gateway-error.ts';
import type { ReasoningConfig, ReasoningEffort } from '../../ir/reasoning.ts';
import { isRecord, optionalJsonBoolean, optionalJsonNumber, optionalJsonString } from '../shared/json-fields.ts';
import { field } from './read-fields.ts';

const EFFORT_BY_LEVEL: Record<string, ReasoningEffort> = {
  MINIMAL: 'minimal',
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
  XHIGH: 'xhigh',
};

/**
 * `generationConfig.thinkingConfig` as a reasoning config: budget 0 turns thinking off, -1 is
 * dynamic (adaptive), a positive budget is kept, `thinkingLevel` (Gemini 3) is an effort.
 * Without budget or level Gemini thinks dynamically, so that is adaptive too.
 */
export function decodeGeminiThinkingConfig(value: unknown): ReasoningConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalidRequest('generationConfig.thinkingConfig: must be an object');
  const budget = optionalJsonNumber(field(value, 'thinkingBudget', 'thinking_budget'), 'generationConfig.thinkingConfig.thinkingBudget');
  const level = optionalJsonString(field(value, 'thinkingLevel', 'thinking_level'), 'generationConfig.thinkingConfig.thinkingLevel');
  const includeThoughts = optionalJsonBoolean(
    field(value, 'includeThoughts', 'include_thoughts'),
    'generationConfig.thinkingConfig.includeThoughts',
  );
  const effort = level === undefined ? undefined : EFFORT_BY_LEVEL[level.toUpperCase()];
  if (level !== undefined && effort === undefined && level.toUpperCase() !== 'THINKING_LEVEL_UNSPECIFIED') {
    throw invalidRequest(`generationConfig.thinkingConfig.thinkingLevel: unknown level "${level}"`);
  }
  if (budget === undefined && effort === undefined && includeThoughts === undefined) return undefined;

  const reasoning: ReasoningConfig = { enabled: budget !== 0 };
  if (budget !== undefined && budget > 0) reasoning.budgetTokens = budget;
  if (budget === -1 || (budget === undefined && effort === undefined)) reasoning.adaptive = true;
  if (effort !== undefined) reasoning.effort = effort;
  if (includeThoughts !== undefined) reasoning.includeThoughts = includeThoughts;
  return reasoning;
}
