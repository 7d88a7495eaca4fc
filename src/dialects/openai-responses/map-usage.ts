import type { Usage } from '../../ir/usage.ts';
import { emptyUsage } from '../../ir/usage.ts';
import { isRecord } from './json-guards.ts';

function count(object: Record<string, unknown> | undefined, key: string): number {
  const value = object?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Responses totals are already inclusive (input counts cached tokens, output counts reasoning). */
export function decodeResponsesUsage(value: unknown): Usage {
  const usage = emptyUsage();
  if (!isRecord(value)) return usage;
  const inputDetails = isRecord(value.input_tokens_details) ? value.input_tokens_details : undefined;
  const outputDetails = isRecord(value.output_tokens_details) ? value.output_tokens_details : undefined;
  usage.inputTokens = count(value, 'input_tokens');
  usage.cachedInputTokens = count(inputDetails, 'cached_tokens');
  usage.cacheWriteTokens = count(inputDetails, 'cache_write_tokens');
  usage.outputTokens = count(value, 'output_tokens');
  usage.reasoningTokens = count(outputDetails, 'reasoning_tokens');
  return usage;
}

export function encodeResponsesUsage(usage: Usage): Record<string, unknown> {
  const inputDetails: Record<string, number> = { cached_tokens: usage.cachedInputTokens };
  if (usage.cacheWriteTokens > 0) inputDetails.cache_write_tokens = usage.cacheWriteTokens;
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: inputDetails,
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}
