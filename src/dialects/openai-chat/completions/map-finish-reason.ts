import type { FinishReason } from '../../../ir/finish-reason.ts';
import { encodeOpenaiChatFinishReason } from '../map-finish-reason.ts';

export type OpenaiCompletionsFinishReason = 'stop' | 'length' | 'content_filter';

/** The legacy wire knows no tool calls (its requests carry no tools), so those end as `stop`. */
export function encodeOpenaiCompletionsFinishReason(reason: FinishReason): OpenaiCompletionsFinishReason {
  const chat = encodeOpenaiChatFinishReason(reason, false);
  return chat === 'length' || chat === 'content_filter' ? chat : 'stop';
}
