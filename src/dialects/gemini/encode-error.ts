import type { ErrorRendering, StreamEncoderOptions } from '../../ir/codec.ts';
import type { GatewayError } from '../../ir/gateway-error.ts';

/** Google's canonical status names and the HTTP status each one travels with. */
const HTTP_BY_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  UNKNOWN: 500,
  INTERNAL: 500,
  DATA_LOSS: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  402: 'PERMISSION_DENIED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
  529: 'UNAVAILABLE',
};

/**
 * `{"error":{"code","message","status"}}` with the numeric HTTP code (@google/genai only treats
 * numeric codes as API errors). A retry delay goes in a google.rpc.RetryInfo detail, which
 * Gemini CLI reads to wait before retrying; model_cooldown's fields ride inside `error`.
 */
export function encodeGeminiErrorBody(error: GatewayError): { error: Record<string, unknown> } {
  const body: Record<string, unknown> = { code: error.status, message: error.message, status: statusName(error) };
  if (error.code === 'model_cooldown' && error.details) {
    for (const key in error.details) if (!(key in body)) body[key] = error.details[key];
  }
  if (error.retryAfter !== undefined) {
    body.details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Math.ceil(error.retryAfter)}s` }];
  }
  return { error: body };
}

export function encodeGeminiError(error: GatewayError): ErrorRendering {
  const rendering: ErrorRendering = { status: error.status, body: encodeGeminiErrorBody(error) };
  if (error.retryAfter !== undefined) rendering.headers = { 'Retry-After': String(Math.ceil(error.retryAfter)) };
  return rendering;
}

/**
 * An error after the stream began: an SSE event holding the error object, or (JSON-array
 * streams) a last array element that also closes the array, so nothing may follow it.
 */
export function encodeGeminiStreamError(error: GatewayError, options: StreamEncoderOptions): string {
  const body = encodeGeminiErrorBody(error);
  return options.jsonArray ? `\n,\r\n${JSON.stringify(body, null, 2)}\n]` : `data: ${JSON.stringify(body)}\r\n\r\n`;
}

function statusName(error: GatewayError): string {
  const upstream = error.upstreamType;
  if (upstream !== undefined && HTTP_BY_STATUS[upstream] === error.status) return upstream;
  return STATUS_BY_HTTP[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}
