/** Stable error codes; each dialect renders them in its own shape. */
export type GatewayErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'request_too_large'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found'
  | 'model_not_found'
  | 'unknown_provider'
  | 'rate_limited'
  | 'model_cooldown'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'upstream_unavailable'
  | 'overloaded'
  | 'client_closed'
  | 'internal_error';

export interface GatewayErrorInit {
  status: number;
  code: GatewayErrorCode;
  message: string;
  /** Seconds the client should wait (429/503); rendered as Retry-After. */
  retryAfter?: number;
  /** Whether another credential or a later attempt may succeed. */
  retryable?: boolean;
  /** The upstream's own error type/code string, kept for same-dialect rendering. */
  upstreamType?: string;
  /** Extra fields the client dialect's error body carries (e.g. model_cooldown's model/provider/reset). */
  details?: Record<string, unknown>;
}

/** The one error type of the gateway. Messages never contain secrets. */
export class GatewayError extends Error {
  readonly status: number;
  readonly code: GatewayErrorCode;
  readonly retryAfter?: number;
  readonly retryable: boolean;
  readonly upstreamType?: string;
  readonly details?: Record<string, unknown>;

  constructor(init: GatewayErrorInit) {
    super(init.message);
    this.name = 'GatewayError';
    this.status = init.status;
    this.code = init.code;
    this.retryAfter = init.retryAfter;
    this.retryable = init.retryable ?? (init.status === 429 || init.status === 408 || init.status >= 500);
    this.upstreamType = init.upstreamType;
    this.details = init.details;
  }
}

export function invalidRequest(message: string): GatewayError {
  return new GatewayError({ status: 400, code: 'invalid_request', message, retryable: false });
}

/** Maps an HTTP status to the closest gateway code, for upstream errors. */
export function codeForStatus(status: number): GatewayErrorCode {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication_error';
  if (status === 402 || status === 403) return 'permission_error';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'upstream_timeout';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 529 || status === 503) return 'overloaded';
  return 'upstream_error';
}
