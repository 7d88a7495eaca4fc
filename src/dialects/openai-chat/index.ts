import type { DialectCodec } from '../../ir/codec.ts';
import { decodeOpenaiChatError } from './decode-error.ts';
import { decodeOpenaiChatRequest } from './decode-request.ts';
import { decodeOpenaiChatResponse } from './decode-response.ts';
import { createOpenaiChatStreamDecoder } from './decode-stream.ts';
import { encodeOpenaiChatError, encodeOpenaiChatStreamError } from './encode-error.ts';
import { encodeOpenaiChatRequest } from './encode-request.ts';
import { encodeOpenaiChatResponse } from './encode-response.ts';
import { createOpenaiChatStreamEncoder } from './encode-stream.ts';
import { decodeOpenaiChatUsage } from './map-usage.ts';
import { responseUsageReader } from '../shared/top-level-member.ts';

/** OpenAI Chat Completions (`POST /v1/chat/completions`), and the many servers compatible with it. */
export const openaiChatCodec: DialectCodec = {
  id: 'openai-chat',
  decodeRequest: decodeOpenaiChatRequest,
  encodeResponse: encodeOpenaiChatResponse,
  createStreamEncoder: createOpenaiChatStreamEncoder,
  encodeError: encodeOpenaiChatError,
  encodeStreamError: encodeOpenaiChatStreamError,
  encodeRequest: encodeOpenaiChatRequest,
  decodeResponse: decodeOpenaiChatResponse,
  readResponseUsage: responseUsageReader('usage', decodeOpenaiChatUsage),
  createStreamDecoder: createOpenaiChatStreamDecoder,
  decodeError: decodeOpenaiChatError,
};
