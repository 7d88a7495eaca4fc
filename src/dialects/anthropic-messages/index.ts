import type { DialectCodec } from '../../ir/codec.ts';
import { AnthropicStreamDecoder } from './decode-stream.ts';
import { decodeAnthropicError } from './decode-error.ts';
import { decodeAnthropicRequest } from './decode-request.ts';
import { decodeAnthropicResponse } from './decode-response.ts';
import { encodeAnthropicError, encodeAnthropicStreamError } from './encode-error.ts';
import { encodeAnthropicRequest } from './encode-request.ts';
import { encodeAnthropicResponse } from './encode-response.ts';
import { AnthropicStreamEncoder } from './encode-stream.ts';
import { decodeAnthropicUsage } from './map-usage.ts';
import { responseUsageReader } from '../shared/top-level-member.ts';

/** Anthropic Messages API (`POST /v1/messages`), the dialect of Claude Code and the Anthropic SDKs. */
export const anthropicMessagesCodec: DialectCodec = {
  id: 'anthropic-messages',
  decodeRequest: decodeAnthropicRequest,
  encodeResponse: encodeAnthropicResponse,
  createStreamEncoder: (options) => new AnthropicStreamEncoder(options),
  encodeError: encodeAnthropicError,
  encodeStreamError: (error) => encodeAnthropicStreamError(error),
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  readResponseUsage: responseUsageReader('usage', decodeAnthropicUsage),
  createStreamDecoder: () => new AnthropicStreamDecoder(),
  decodeError: decodeAnthropicError,
};
