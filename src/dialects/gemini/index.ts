import type { DialectCodec } from '../../ir/codec.ts';
import { decodeGeminiError } from './decode-error.ts';
import { decodeGeminiRequest } from './decode-request.ts';
import { decodeGeminiResponse } from './decode-response.ts';
import { GeminiStreamDecoder } from './decode-stream.ts';
import { encodeGeminiError, encodeGeminiStreamError } from './encode-error.ts';
import { encodeGeminiRequest } from './encode-request.ts';
import { encodeGeminiResponse } from './encode-response.ts';
import { GeminiStreamEncoder } from './encode-stream.ts';
import { decodeGeminiUsage } from './map-usage.ts';
import { responseUsageReader } from '../shared/top-level-member.ts';

/** Google Gemini API generateContent / streamGenerateContent (Gemini CLI, @google/genai). */
export const geminiCodec: DialectCodec = {
  id: 'gemini',
  decodeRequest: decodeGeminiRequest,
  encodeResponse: encodeGeminiResponse,
  createStreamEncoder: (options) => new GeminiStreamEncoder(options),
  encodeError: encodeGeminiError,
  encodeStreamError: encodeGeminiStreamError,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  readResponseUsage: responseUsageReader('usageMetadata', decodeGeminiUsage),
  createStreamDecoder: () => new GeminiStreamDecoder(),
  decodeError: decodeGeminiError,
};

export { decodeGeminiCountTokensRequest, encodeGeminiCountTokensResponse } from './count-tokens.ts';
export { decodeGeminiEmbedContentRequest, encodeGeminiEmbedContentResponse, type GeminiEmbedRequest } from './embed-content.ts';
export { encodeGeminiModel, encodeGeminiModelsList, type GeminiModelEntry } from './models-list.ts';
