import type { ErrorRendering } from '../../ir/codec.ts';
import type { GatewayError } from '../../ir/gateway-error.ts';
import { anthropicErrorTypeForCode, isAnthropicErrorType } from './map-error-type.ts';

function errorObject(error: GatewayError): Record<string, unknown> {
  // An upstream Anthropic type (billing_error, ...) is more precise than the gateway code; types of other
  // dialects that happen to share a name (OpenAI's invalid_request_error) mean the same thing.
  const type =
    error.upstreamType !== undefined && isAnthropicErrorType(error.upstreamType)
      ? error.upstreamType
      : anthropicErrorTypeForCode(error.code);
  const body: Record<string, unknown> = { type, message: error.message };
  // details (model_cooldown's model, provider, reset_time, reset_seconds) ride beside type and message.
  for (const key in error.details) if (!(key in body)) body[key] = error.details[key];
  return body;
}

/** `{"type":"error","error":{"type","message"}}` with the status the real API uses for that type. */
export function encodeAnthropicError(error: GatewayError): ErrorRendering {
  // Claude clients treat 529 as "overloaded, retry"; a 503 from another upstream means the same.
  const status = error.code === 'overloaded' ? 529 : error.status;
  const rendering: ErrorRendering = { status, body: { type: 'error', error: errorObject(error) } };
  if (error.retryAfter !== undefined) rendering.headers = { 'Retry-After': String(Math.max(0, Math.ceil(error.retryAfter))) };
  return rendering;
}

export function encodeAnthropicStreamError(error: GatewayError): string {
  return `event: error\ndata: ${JSON.stringify({ type: 'error', error: errorObject(error) })}\n\n`;
}
