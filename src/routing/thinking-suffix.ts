import { isReasoningEffort, type ReasoningConfig } from '../ir/reasoning.ts';

const SUFFIX = /^(.+)\(([^()]+)\)$/;

/**
 * `model(high)` / `model(8192)` / `model(none)` / `model(auto)`: a reasoning setting in the model
 * name (CLIProxyAPI's convention), which overrides what the body says.
 */
export function parseThinkingSuffix(model: string): { model: string; reasoning?: ReasoningConfig } {
  const match = SUFFIX.exec(model);
  if (!match) return { model };
  const [, base, value] = match as unknown as [string, string, string];
  const setting = value.trim().toLowerCase();
  if (setting === 'none' || setting === '0') return { model: base, reasoning: { enabled: false, effort: 'none' } };
  if (setting === 'auto' || setting === '-1') return { model: base, reasoning: { enabled: true, adaptive: true } };
  if (isReasoningEffort(setting)) return { model: base, reasoning: { enabled: true, effort: setting } };
  if (/^\d+$/.test(setting)) return { model: base, reasoning: { enabled: true, budgetTokens: Number(setting) } };
  return { model };
}
