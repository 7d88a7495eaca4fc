import type { ClientCodec } from '../../../ir/codec.ts';
import { encodeOpenaiChatError, encodeOpenaiChatStreamError } from '../encode-error.ts';
import { decodeOpenaiCompletionsRequest } from './decode-request.ts';
import { encodeOpenaiCompletionsResponse } from './encode-response.ts';
import { createOpenaiCompletionsStreamEncoder } from './encode-stream.ts';

/** Legacy OpenAI Completions (`POST /v1/completions`): accepted from clients, never spoken to upstreams. */
export const openaiCompletionsCodec: ClientCodec = {
  id: 'openai-completions',
  decodeRequest: decodeOpenaiCompletionsRequest,
  encodeResponse: encodeOpenaiCompletionsResponse,
  createStreamEncoder: createOpenaiCompletionsStreamEncoder,
  encodeError: encodeOpenaiChatError,
  encodeStreamError: encodeOpenaiChatStreamError,
};
