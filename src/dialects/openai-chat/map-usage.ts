import type { Usage } from '../../ir/usage.ts';
import { isRecord, numberOrZero } from '../shared/json-fields.ts';

/** OpenAI's counts are already inclusive (prompt includes cached, completion includes reasoning). */
export function decodeOpenaiChatUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const prompt = isRecord(value.prompt_tokens_details) ? value.prompt_tokens_details : {};
  const completion = isRecord(value.completion_tokens_details) ? value.completion_tokens_details : {};
  return {
    inputTokens: numberOrZero(value.prompt_tokens),
    // DeepSeek reports cache hits as `prompt_cache_hit_tokens` instead.
    cachedInputTokens: numberOrZero(prompt.cached_tokens) || numberOrZero(value.prompt_cache_hit_tokens),
    cacheWriteTokens: numberOrZero(prompt.cache_write_tokens),
    outputTokens: numberOrZero(value.completion_tokens),
    reasoningTokens: numberOrZero(completion.reasoning_tokens),
  };
}

export function encodeOpenaiChatUsage(usage: Usage): Record<string, unknown> {
  const promptDetails: Record<string, number> = { cached_tokens: usage.cachedInputTokens };
  if (usage.cacheWriteTokens > 0) promptDetails.cache_write_tokens = usage.cacheWriteTokens;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}
