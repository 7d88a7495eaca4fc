import type { Usage } from '../../ir/usage.ts';
import { isOpenaiChatObject, readOpenaiChatNumber } from './json-values.ts';

/** OpenAI's counts are already inclusive (prompt includes cached, completion includes reasoning). */
export function decodeOpenaiChatUsage(value: unknown): Usage | undefined {
  if (!isOpenaiChatObject(value)) return undefined;
  const prompt = isOpenaiChatObject(value.prompt_tokens_details) ? value.prompt_tokens_details : {};
  const completion = isOpenaiChatObject(value.completion_tokens_details) ? value.completion_tokens_details : {};
  return {
    inputTokens: readOpenaiChatNumber(value.prompt_tokens),
    // DeepSeek reports cache hits as `prompt_cache_hit_tokens` instead.
    cachedInputTokens: readOpenaiChatNumber(prompt.cached_tokens) || readOpenaiChatNumber(value.prompt_cache_hit_tokens),
    cacheWriteTokens: readOpenaiChatNumber(prompt.cache_write_tokens),
    outputTokens: readOpenaiChatNumber(value.completion_tokens),
    reasoningTokens: readOpenaiChatNumber(completion.reasoning_tokens),
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
