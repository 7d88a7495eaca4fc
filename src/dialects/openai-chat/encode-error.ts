import type { ErrorRendering } from '../../ir/codec.ts';
import type { GatewayError } from '../../ir/gateway-error.ts';

function typeForStatus(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402 || status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500 || status === 408) return 'server_error';
  return 'invalid_request_error';
}

function codeFor(error: GatewayError): string {
  if (error.code === 'rate_limited') return 'rate_limit_exceeded';
  return error.code;
}

function errorBody(error: GatewayError): Record<string, unknown> {
  if (error.code === 'model_cooldown') {
    // CLIProxyAPI's shape, which clients of both gateways already parse.
    const details = error.details ?? {};
    return {
      error: {
        code: 'model_cooldown',
        message: error.message,
        model: details.model,
        reset_time: details.reset_time,
        reset_seconds: details.reset_seconds,
        provider: details.provider,
      },
    };
  }
  return {
    error: {
      message: error.message,
      type: error.upstreamType ?? typeForStatus(error.status),
      param: null,
      code: codeFor(error),
    },
  };
}

export function encodeOpenaiChatError(error: GatewayError): ErrorRendering {
  const rendering: ErrorRendering = { status: error.status, body: errorBody(error) };
  if (error.retryAfter !== undefined) rendering.headers = { 'Retry-After': String(Math.max(0, Math.ceil(error.retryAfter))) };
  return rendering;
}

/** OpenAI ends a failing stream with a bare error object and no `[DONE]`. */
export function encodeOpenaiChatStreamError(error: GatewayError): string {
  return `data: ${JSON.stringify(errorBody(error))}\n\n`;
}
