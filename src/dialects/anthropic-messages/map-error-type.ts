import type { GatewayErrorCode } from '../../ir/gateway-error.ts';

/** Status the real API pairs with each error type. */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export function isAnthropicErrorType(type: string): boolean {
  return type in STATUS_BY_ERROR_TYPE;
}

export function statusForAnthropicErrorType(type: string | undefined): number {
  return (type !== undefined ? STATUS_BY_ERROR_TYPE[type] : undefined) ?? 500;
}

const ERROR_TYPE_BY_CODE: Record<GatewayErrorCode, string> = {
  invalid_request: 'invalid_request_error',
  invalid_json: 'invalid_request_error',
  request_too_large: 'request_too_large',
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  not_found: 'not_found_error',
  model_not_found: 'not_found_error',
  unknown_provider: 'not_found_error',
  rate_limited: 'rate_limit_error',
  model_cooldown: 'rate_limit_error',
  upstream_error: 'api_error',
  upstream_timeout: 'timeout_error',
  upstream_unavailable: 'api_error',
  overloaded: 'overloaded_error',
  client_closed: 'api_error',
  internal_error: 'api_error',
};

export function anthropicErrorTypeForCode(code: GatewayErrorCode): string {
  return ERROR_TYPE_BY_CODE[code];
}
