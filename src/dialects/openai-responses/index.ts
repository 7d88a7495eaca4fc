import type { DialectCodec } from '../../ir/codec.ts';
import { decodeResponsesError } from './decode-error.ts';
import { decodeResponsesRequest } from './decode-request.ts';
import { decodeResponsesResponse } from './decode-response.ts';
import { encodeResponsesError } from './encode-error.ts';
import { encodeResponsesRequest } from './encode-request.ts';
import { encodeResponsesResponse } from './encode-response.ts';
import { ResponsesStreamDecoder } from './stream-decoder.ts';
import { ResponsesStreamEncoder, encodeResponsesStreamError } from './stream-encoder.ts';
import { decodeResponsesUsage } from './map-usage.ts';
import { responseUsageReader } from '../shared/top-level-member.ts';

/** OpenAI Responses API (`POST /v1/responses`), also what the Codex backend speaks. */
export const openaiResponsesCodec: DialectCodec = {
  id: 'openai-responses',
  decodeRequest: decodeResponsesRequest,
  encodeResponse: encodeResponsesResponse,
  createStreamEncoder: (options) => new ResponsesStreamEncoder(options),
  encodeError: encodeResponsesError,
  encodeStreamError: encodeResponsesStreamError,
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  readResponseUsage: responseUsageReader('usage', decodeResponsesUsage),
  createStreamDecoder: () => new ResponsesStreamDecoder(),
  decodeError: decodeResponsesError,
};
