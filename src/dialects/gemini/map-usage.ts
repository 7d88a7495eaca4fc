import type { Usage } from '../../ir/usage.ts';
import { isRecord, numberOrZero } from '../shared/json-fields.ts';

/**
 * Gemini's `usageMetadata` as inclusive canonical usage. `candidatesTokenCount` excludes
 * thoughts, so output is candidates + thoughts; tool-use prompt tokens are input;
 * `cachedContentTokenCount` is already inside `promptTokenCount`.
 */
export function decodeGeminiUsage(metadata: unknown): Usage {
  const usage: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
  if (!isRecord(metadata)) return usage;
  const thoughts = numberOrZero(metadata.thoughtsTokenCount);
  usage.inputTokens = numberOrZero(metadata.promptTokenCount) + numberOrZero(metadata.toolUsePromptTokenCount);
  usage.cachedInputTokens = numberOrZero(metadata.cachedContentTokenCount);
  usage.outputTokens = numberOrZero(metadata.candidatesTokenCount) + thoughts;
  usage.reasoningTokens = thoughts;
  return usage;
}

export function encodeGeminiUsage(usage: Usage): Record<string, number> {
  const metadata: Record<string, number> = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - usage.reasoningTokens),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0) metadata.cachedContentTokenCount = usage.cachedInputTokens;
  if (usage.reasoningTokens > 0) metadata.thoughtsTokenCount = usage.reasoningTokens;
  return metadata;
}
