import type { FinishReason, UnifiedFinishReason } from '../../ir/finish-reason.ts';

const UNIFIED_BY_STOP_REASON: Record<string, UnifiedFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
  pause_turn: 'other',
};

export function decodeAnthropicStopReason(stopReason: unknown, stopSequence: unknown): FinishReason {
  if (typeof stopReason !== 'string') return { unified: 'other' };
  const reason: FinishReason = { unified: UNIFIED_BY_STOP_REASON[stopReason] ?? 'other', raw: stopReason };
  if (typeof stopSequence === 'string') reason.stopSequence = stopSequence;
  return reason;
}

export function encodeAnthropicStopReason(reason: FinishReason): string {
  // The raw value is only trusted when it is an Anthropic stop reason that agrees with the unified one
  // (another dialect's raw value, or one the router rewrote, must not leak through).
  const raw = reason.raw;
  if (raw !== undefined && UNIFIED_BY_STOP_REASON[raw] === reason.unified) return raw;
  switch (reason.unified) {
    case 'stop':
      return reason.stopSequence !== undefined ? 'stop_sequence' : 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
