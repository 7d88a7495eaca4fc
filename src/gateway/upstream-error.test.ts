import { describe, expect, it } from 'vitest';
import { dialectCodecs } from '../dialects/index.ts';
import { parseRetryAfter, retryAfterFromBody, upstreamErrorToGatewayError } from './upstream-error.ts';

describe('upstream retry delays', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter('1.2')).toBe(2);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 3_000)).toBe(7);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('reads the delay from a Google RetryInfo detail or a Codex usage limit when there is no header', () => {
    const google = JSON.stringify({
      error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38.5s' }] },
    });
    const codex = JSON.stringify({ error: { type: 'usage_limit_reached', message: 'limit', resets_at: 1, resets_in_seconds: 7 } });
    expect(retryAfterFromBody(google)).toBe(39);
    expect(retryAfterFromBody(codex)).toBe(7);
    expect(retryAfterFromBody('{"error":{"message":"slow down"}}')).toBeUndefined();
    expect(upstreamErrorToGatewayError(dialectCodecs.gemini, 429, google, undefined).retryAfter).toBe(39);
    expect(upstreamErrorToGatewayError(dialectCodecs['openai-responses'], 429, codex, undefined).retryAfter).toBe(7);
    // A header wins over the body.
    expect(upstreamErrorToGatewayError(dialectCodecs['openai-responses'], 429, codex, '3').retryAfter).toBe(3);
  });
});
