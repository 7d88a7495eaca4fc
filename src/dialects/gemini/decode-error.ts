import type { DecodedUpstreamError } from '../../ir/codec.ts';
import { GatewayError, codeForStatus } from '../../ir/gateway-error.ts';
import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';

/**
 * An upstream error body: `{"error":{"code","message","status"}}`, or that object inside an
 * array when the JSON-array stream failed; anything else is reported as text.
 */
export function decodeGeminiError(status: number, bodyText: string): DecodedUpstreamError {
  const error = parseErrorObject(bodyText);
  if (error && typeof error.message === 'string') {
    return typeof error.status === 'string' ? { message: error.message, type: error.status } : { message: error.message };
  }
  const text = bodyText.trim();
  return { message: text === '' ? `Gemini upstream returned HTTP ${status}` : text.slice(0, 1000) };
}

function parseErrorObject(bodyText: string): Record<string, unknown> | undefined {
  let body = parseJsonOrUndefined(bodyText);
  if (Array.isArray(body)) body = body[0];
  return isRecord(body) && isRecord(body.error) ? body.error : undefined;
}

/** An error object that arrived inside a stream. */
export function geminiStreamErrorToGatewayError(error: Record<string, unknown>): GatewayError {
  const status = typeof error.code === 'number' && error.code >= 400 && error.code < 600 ? error.code : 502;
  return new GatewayError({
    status,
    code: codeForStatus(status),
    message: typeof error.message === 'string' ? error.message : 'Gemini stream failed',
    upstreamType: typeof error.status === 'string' ? error.status : undefined,
  });
}
