import type { Usage } from '../../ir/usage.ts';
import { emptyUsage } from '../../ir/usage.ts';
import { isRecord, numberOrZero } from '../shared/json-fields.ts';

/** Responses totals are already inclusive (input counts cached tokens, output counts reasoning). */
export function decodeResponsesUsage(value: unknown): Usage {
  const usage = emptyUsage();
  if (!isRecord(value)) return usage;
  const inputDetails = isRecord(value.input_tokens_details) ? value.input_tokens_details : undefined;
  const outputDetails = isRecord(value.output_tokens_details) ? value.output_tokens_details : undefined;
  usage.inputTokens = numberOrZero(value.input_tokens);
  usage.cachedInputTokens = numberOrZero(inputDetails?.cached_tokens);
  usage.cacheWriteTokens = numberOrZero(inputDetails?.cache_write_tokens);
  usage.outputTokens = numberOrZero(value.output_tokens);
  usage.reasoningTokens = numberOrZero(outputDetails?.reasoning_tokens);
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
