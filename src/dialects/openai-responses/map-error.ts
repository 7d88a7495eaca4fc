import { GatewayError } from '../../ir/gateway-error.ts';
import type { GatewayErrorCode } from '../../ir/gateway-error.ts';
import { isRecord } from '../shared/json-fields.ts';

/** OpenAI error codes that clients act on (Codex: context window, quota, retry delay). */
const CLIENT_VISIBLE_CODES = new Set([
  'context_length_exceeded',
  'insufficient_quota',
  'usage_not_included',
  'rate_limit_exceeded',
  'invalid_prompt',
  'server_is_overloaded',
  'invalid_api_key',
  'model_not_found',
]);

const TYPE_AND_CODE: Record<GatewayErrorCode, { type: string; code: string | null }> = {
  invalid_request: { type: 'invalid_request_error', code: null },
  invalid_json: { type: 'invalid_request_error', code: 'invalid_json' },
  request_too_large: { type: 'invalid_request_error', code: 'request_too_large' },
  authentication_error: { type: 'invalid_request_error', code: 'invalid_api_key' },
  permission_error: { type: 'permission_error', code: 'permission_denied' },
  not_found: { type: 'invalid_request_error', code: 'not_found' },
  model_not_found: { type: 'invalid_request_error', code: 'model_not_found' },
  unknown_provider: { type: 'invalid_request_error', code: 'unknown_provider' },
  rate_limited: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  model_cooldown: { type: 'rate_limit_error', code: 'model_cooldown' },
  upstream_error: { type: 'server_error', code: 'upstream_error' },
  upstream_timeout: { type: 'server_error', code: 'upstream_timeout' },
  upstream_unavailable: { type: 'server_error', code: 'upstream_unavailable' },
  overloaded: { type: 'server_error', code: 'server_is_overloaded' },
  client_closed: { type: 'invalid_request_error', code: 'client_closed' },
  internal_error: { type: 'server_error', code: 'internal_error' },
};

/** The OpenAI `type` and `code` for a gateway error; an OpenAI code from the upstream wins. */
export function responsesErrorTypeAndCode(error: GatewayError): { type: string; code: string | null } {
  const mapped = TYPE_AND_CODE[error.code];
  if (error.upstreamType !== undefined && CLIENT_VISIBLE_CODES.has(error.upstreamType)) {
    return { type: mapped.type, code: error.upstreamType };
  }
  return mapped;
}

const RETRY_IN = /try again in\s*(\d+(?:\.\d+)?)\s*(ms|s|seconds?)/i;

function retryAfterFromMessage(message: string): number | undefined {
  const match = RETRY_IN.exec(message);
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2].toLowerCase() === 'ms' ? Math.ceil(value / 1000) : Math.ceil(value);
}

function statusForFailureCode(code: string | undefined): { status: number; code: GatewayErrorCode } {
  if (code === 'rate_limit_exceeded' || code === 'insufficient_quota') return { status: 429, code: 'rate_limited' };
  if (code === 'usage_not_included') return { status: 403, code: 'permission_error' };
  if (code === 'server_is_overloaded') return { status: 503, code: 'overloaded' };
  if (code === 'context_length_exceeded' || (code !== undefined && code.startsWith('invalid_'))) {
    return { status: 400, code: 'invalid_request' };
  }
  return { status: 502, code: 'upstream_error' };
}

/**
 * A failure reported inside a Responses stream or body (`response.failed`'s `response.error`, or an
 * `error` event, flat or with a nested `error` object).
 */
export function gatewayErrorFromResponsesFailure(value: unknown): GatewayError {
  const error = isRecord(value) && isRecord(value.error) ? value.error : value;
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
  const type = isRecord(error) && typeof error.type === 'string' && error.type !== 'error' ? error.type : undefined;
  const message = isRecord(error) && typeof error.message === 'string' && error.message !== '' ? error.message : 'upstream response failed';
  const mapped = statusForFailureCode(code ?? type);
  return new GatewayError({
    status: mapped.status,
    code: mapped.code,
    message,
    upstreamType: code ?? type,
    retryAfter: mapped.code === 'rate_limited' ? retryAfterFromMessage(message) : undefined,
  });
}
