import type { DecodedUpstreamError } from '../../ir/codec.ts';
import { codeForStatus, GatewayError } from '../../ir/gateway-error.ts';
import { isRecord, optionalJsonString, parseJsonOrUndefined } from '../shared/json-fields.ts';

const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  model_not_found: 404,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
};

/** Reads `{error: {...}}`, `{error: "text"}`, vLLM/FastAPI `{detail}` and bare `{message}` bodies. */
export function readOpenaiChatErrorBody(body: unknown): DecodedUpstreamError | undefined {
  // Gemini's OpenAI-compatible endpoint wraps the error object in an array.
  const root = Array.isArray(body) ? body[0] : body;
  if (!isRecord(root)) return undefined;
  const error = root.error;
  if (typeof error === 'string') return { message: error };
  const source = isRecord(error) ? error : root;
  const message = optionalJsonString(source.message) ?? optionalJsonString(source.detail);
  if (message === undefined) return undefined;
  const type = optionalJsonString(source.type) ?? optionalJsonString(source.code) ?? optionalJsonString(source.status);
  return type === undefined ? { message } : { message, type };
}

export function decodeOpenaiChatError(status: number, bodyText: string): DecodedUpstreamError {
  const decoded = readOpenaiChatErrorBody(parseJsonOrUndefined(bodyText));
  if (decoded) return decoded;
  const text = bodyText.trim();
  return { message: text === '' ? `upstream returned HTTP ${status}` : text.slice(0, 1000) };
}

/** An error an upstream reported inside a 200 body or stream, as a gateway error. */
export function openaiChatUpstreamError(body: unknown): GatewayError {
  const decoded = readOpenaiChatErrorBody(body) ?? { message: 'upstream reported an error' };
  const inner = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = optionalJsonString(inner.code);
  const status =
    (decoded.type !== undefined ? STATUS_BY_TYPE[decoded.type] : undefined) ??
    (code !== undefined ? STATUS_BY_TYPE[code] : undefined) ??
    502;
  return new GatewayError({
    status,
    code: codeForStatus(status),
    message: decoded.message,
    ...(decoded.type === undefined ? {} : { upstreamType: decoded.type }),
  });
}
