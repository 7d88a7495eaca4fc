import type { Usage } from '../../ir/usage.ts';
import { isRecord } from '../shared/json-fields.ts';

/** Anthropic's usage figures as reported: `input_tokens` excludes cache reads and cache writes. */
export interface AnthropicUsageFigures {
  input: number;
  cacheRead: number;
  cacheCreation: number;
  output: number;
  thinking: number;
}

export function emptyAnthropicUsage(): AnthropicUsageFigures {
  return { input: 0, cacheRead: 0, cacheCreation: 0, output: 0, thinking: 0 };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Merges a wire `usage` object into `into`; later non-zero figures win (message_delta repeats cumulative totals). */
export function mergeAnthropicUsage(into: AnthropicUsageFigures, usage: unknown): AnthropicUsageFigures {
  if (!isRecord(usage)) return into;
  into.input = count(usage.input_tokens) ?? into.input;
  into.cacheRead = count(usage.cache_read_input_tokens) ?? into.cacheRead;
  into.cacheCreation = count(usage.cache_creation_input_tokens) ?? into.cacheCreation;
  into.output = count(usage.output_tokens) ?? into.output;
  const details = usage.output_tokens_details;
  if (isRecord(details)) into.thinking = count(details.thinking_tokens) ?? into.thinking;
  return into;
}

export function anthropicUsageToCanonical(figures: AnthropicUsageFigures): Usage {
  return {
    inputTokens: figures.input + figures.cacheRead + figures.cacheCreation,
    cachedInputTokens: figures.cacheRead,
    cacheWriteTokens: figures.cacheCreation,
    outputTokens: figures.output,
    reasoningTokens: figures.thinking,
  };
}

export function decodeAnthropicUsage(usage: unknown): Usage {
  return anthropicUsageToCanonical(mergeAnthropicUsage(emptyAnthropicUsage(), usage));
}

export function encodeAnthropicUsage(usage: Usage): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens),
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
  };
  if (usage.reasoningTokens > 0) wire.output_tokens_details = { thinking_tokens: usage.reasoningTokens };
  return wire;
}
