import type { DialectCodec } from '../ir/codec.ts';
import type { DialectId } from '../ir/dialect-id.ts';
import { anthropicMessagesCodec } from './anthropic-messages/index.ts';
import { geminiCodec } from './gemini/index.ts';
import { openaiChatCodec } from './openai-chat/index.ts';
import { openaiResponsesCodec } from './openai-responses/index.ts';

export const dialectCodecs: Record<DialectId, DialectCodec> = {
  'openai-chat': openaiChatCodec,
  'openai-responses': openaiResponsesCodec,
  'anthropic-messages': anthropicMessagesCodec,
  gemini: geminiCodec,
};
