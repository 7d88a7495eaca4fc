import type { ErrorRendering } from '../../ir/codec.ts';
import type { GatewayError } from '../../ir/gateway-error.ts';
import { responsesErrorTypeAndCode } from './map-error.ts';

/**
 * OpenAI's error body `{"error": {"message", "type", "param", "code"}}`. A model cooldown uses
 * CLIProxyAPI's shape so clients written against it keep working.
 */
export function encodeResponsesError(error: GatewayError): ErrorRendering {
  let body: Record<string, unknown>;
  if (error.code === 'model_cooldown') {
    body = { error: { code: 'model_cooldown', message: error.message, ...error.details } };
  } else {
    const { type, code } = responsesErrorTypeAndCode(error);
    body = { error: { message: error.message, type, param: null, code } };
  }
  const rendering: ErrorRendering = { status: error.status, body };
  if (error.retryAfter !== undefined) rendering.headers = { 'Retry-After': String(Math.ceil(error.retryAfter)) };
  return rendering;
}
