import type { FinishReason, UnifiedFinishReason } from '../../ir/finish-reason.ts';

export type OpenaiChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

const UNIFIED_BY_OPENAI: Record<string, UnifiedFinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  // Compatible servers: llama.cpp/vLLM `eos`, a few proxies `error`.
  eos: 'stop',
  error: 'error',
};

const OPENAI_BY_UNIFIED: Record<UnifiedFinishReason, OpenaiChatFinishReason> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  // The wire has no error or unknown reason; `stop` is what clients handle as a normal end.
  error: 'stop',
  other: 'stop',
};

export function decodeOpenaiChatFinishReason(raw: string): FinishReason {
  return { unified: UNIFIED_BY_OPENAI[raw] ?? 'other', raw };
}

/**
 * A same-dialect raw value wins (keeps `function_call`). Clients run tools only on `tool_calls`,
 * so an answer holding tool calls says so even when the upstream said "stop" (Gemini does).
 */
export function encodeOpenaiChatFinishReason(reason: FinishReason, hasToolCalls: boolean): OpenaiChatFinishReason {
  const raw = reason.raw;
  if (raw === 'stop' || raw === 'length' || raw === 'tool_calls' || raw === 'content_filter' || raw === 'function_call') {
    return raw === 'stop' && hasToolCalls ? 'tool_calls' : raw;
  }
  const mapped = OPENAI_BY_UNIFIED[reason.unified];
  return mapped === 'stop' && hasToolCalls ? 'tool_calls' : mapped;
}
