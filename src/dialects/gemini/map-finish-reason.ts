import type { FinishReason, UnifiedFinishReason } from '../../ir/finish-reason.ts';

const UNIFIED = new Map<string, UnifiedFinishReason>([
  ['STOP', 'stop'],
  ['MAX_TOKENS', 'length'],
  ['SAFETY', 'content-filter'],
  ['RECITATION', 'content-filter'],
  ['BLOCKLIST', 'content-filter'],
  ['PROHIBITED_CONTENT', 'content-filter'],
  ['SPII', 'content-filter'],
  ['IMAGE_SAFETY', 'content-filter'],
  ['IMAGE_PROHIBITED_CONTENT', 'content-filter'],
  ['IMAGE_RECITATION', 'content-filter'],
  ['MODEL_ARMOR', 'content-filter'],
  ['MALFORMED_FUNCTION_CALL', 'error'],
  ['UNEXPECTED_TOOL_CALL', 'error'],
  ['TOO_MANY_TOOL_CALLS', 'error'],
  ['MISSING_THOUGHT_SIGNATURE', 'error'],
  ['MALFORMED_RESPONSE', 'error'],
  ['LANGUAGE', 'other'],
  ['OTHER', 'other'],
  ['IMAGE_OTHER', 'other'],
  ['NO_IMAGE', 'other'],
  ['FINISH_REASON_UNSPECIFIED', 'other'],
]);

/**
 * Gemini ends a turn that calls functions with STOP; the IR says `tool-calls` whenever a
 * function call is present. A prompt blocked before generation (promptFeedback.blockReason)
 * is a content filter.
 */
export function decodeGeminiFinishReason(raw: string, hasToolCalls: boolean): FinishReason {
  if (raw === 'STOP' && hasToolCalls) return { unified: 'tool-calls', raw };
  return { unified: UNIFIED.get(raw) ?? 'other', raw };
}

export function decodeGeminiBlockReason(blockReason: string): FinishReason {
  return { unified: 'content-filter', raw: blockReason };
}

const GEMINI_REASON: Record<UnifiedFinishReason, string> = {
  stop: 'STOP',
  'tool-calls': 'STOP',
  length: 'MAX_TOKENS',
  'content-filter': 'SAFETY',
  error: 'OTHER',
  other: 'OTHER',
};

/** A Gemini upstream's own value is kept; other dialects' reasons are mapped. */
export function encodeGeminiFinishReason(reason: FinishReason): string {
  const raw = reason.raw;
  if (raw !== undefined && UNIFIED.has(raw) && decodeGeminiFinishReason(raw, reason.unified === 'tool-calls').unified === reason.unified) {
    return raw;
  }
  return GEMINI_REASON[reason.unified];
}
