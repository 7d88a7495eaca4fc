import type { DialectCodec } from '../ir/codec.ts';
import { codeForStatus, GatewayError } from '../ir/gateway-error.ts';

/** Seconds from a Retry-After header (delta-seconds or HTTP date). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Retry delays that providers give in the error body instead of a Retry-After header: Google's
 * RetryInfo detail (`"retryDelay": "7s"`) and the ChatGPT Codex backend's usage limit
 * (`"resets_in_seconds": 7`).
 */
const BODY_RETRY_HINTS = [/"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/, /"resets_in_seconds"\s*:\s*(\d+(?:\.\d+)?)/];

export function retryAfterFromBody(bodyText: string): number | undefined {
  for (const hint of BODY_RETRY_HINTS) {
    const match = hint.exec(bodyText);
    if (match) return Math.ceil(Number(match[1]));
  }
  return undefined;
}

/**
 * Markers of a rejected credential in bodies whose status says otherwise: the Gemini API answers
 * a bad key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID.
 */
const CREDENTIAL_REJECTED_MARKERS = ['API_KEY_INVALID'];

/**
 * An upstream's error answer as a gateway error. The request's own faults (400, 413, 422) are
 * not retryable on another credential; auth, quota, rate limits and server errors are.
 */
export function upstreamErrorToGatewayError(
  codec: DialectCodec,
  status: number,
  bodyText: string,
  retryAfterHeader: string | string[] | undefined,
): GatewayError {
  const decoded = codec.decodeError(status, bodyText);
  if (status === 400 && CREDENTIAL_REJECTED_MARKERS.some((marker) => bodyText.includes(marker))) {
    return new GatewayError({ status: 401, code: 'authentication_error', message: decoded.message || 'upstream rejected the API key', upstreamType: decoded.type, retryable: true });
  }
  return new GatewayError({
    status,
    code: codeForStatus(status),
    message: decoded.message || `upstream answered ${status}`,
    upstreamType: decoded.type,
    retryAfter: parseRetryAfter(retryAfterHeader) ?? retryAfterFromBody(bodyText),
    retryable: !(status === 400 || status === 413 || status === 422),
  });
}
