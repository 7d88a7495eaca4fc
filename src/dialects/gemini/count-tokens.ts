import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { decodeGeminiRequest } from './decode-request.ts';
import { field } from './read-fields.ts';

/** `models/{model}:countTokens` body: `{contents}` or `{generateContentRequest: {...}}` (which may also carry tools and a system instruction). */
export function decodeGeminiCountTokensRequest(body: unknown, model: string): CanonicalRequest {
  if (!isRecord(body)) throw invalidRequest('body: must be a JSON object');
  const inner = field(body, 'generateContentRequest', 'generate_content_request');
  return decodeGeminiRequest(inner === undefined || inner === null ? body : inner, { model, stream: false });
}

export function encodeGeminiCountTokensResponse(totalTokens: number): { totalTokens: number } {
  return { totalTokens };
}
