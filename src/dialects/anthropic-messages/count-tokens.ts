import type { CanonicalRequest } from '../../ir/request.ts';
import { decodeAnthropicRequestBody } from './decode-request.ts';

/** `POST /v1/messages/count_tokens`: the Messages body without max_tokens. */
export function decodeAnthropicCountTokensRequest(body: unknown): CanonicalRequest {
  return decodeAnthropicRequestBody(body, {}, { requireMaxTokens: false });
}

export function encodeAnthropicCountTokensResponse(inputTokens: number): { input_tokens: number } {
  return { input_tokens: inputTokens };
}
