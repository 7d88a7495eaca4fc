import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import { geminiCodec } from './index.ts';

describe('gemini encodeError', () => {
  it.each([
    [400, 'invalid_request', 'INVALID_ARGUMENT'],
    [401, 'authentication_error', 'UNAUTHENTICATED'],
    [403, 'permission_error', 'PERMISSION_DENIED'],
    [404, 'model_not_found', 'NOT_FOUND'],
    [429, 'rate_limited', 'RESOURCE_EXHAUSTED'],
    [500, 'internal_error', 'INTERNAL'],
    [502, 'upstream_error', 'UNAVAILABLE'],
    [503, 'overloaded', 'UNAVAILABLE'],
    [504, 'upstream_timeout', 'DEADLINE_EXCEEDED'],
  ] as const)('renders %i as %s', (status, code, statusName) => {
    expect(geminiCodec.encodeError(new GatewayError({ status, code, message: 'boom' }))).toEqual({
      status,
      body: { error: { code: status, message: 'boom', status: statusName } },
    });
  });

  it("keeps an upstream Gemini status that fits the HTTP status", () => {
    const error = new GatewayError({ status: 400, code: 'invalid_request', message: 'bad', upstreamType: 'FAILED_PRECONDITION' });
    expect(geminiCodec.encodeError(error).body).toEqual({ error: { code: 400, message: 'bad', status: 'FAILED_PRECONDITION' } });
    const mismatch = new GatewayError({ status: 503, code: 'overloaded', message: 'busy', upstreamType: 'overloaded_error' });
    expect(geminiCodec.encodeError(mismatch).body).toEqual({ error: { code: 503, message: 'busy', status: 'UNAVAILABLE' } });
  });

  it('adds Retry-After and a RetryInfo detail, and the cooldown fields inside error', () => {
    const error = new GatewayError({
      status: 429,
      code: 'model_cooldown',
      message: 'All credentials for model gemini-2.5-pro are cooling down',
      retryAfter: 61.2,
      details: { model: 'gemini-2.5-pro', provider: 'gemini-cli', reset_time: '1m2s', reset_seconds: 62 },
    });
    expect(geminiCodec.encodeError(error)).toEqual({
      status: 429,
      headers: { 'Retry-After': '62' },
      body: {
        error: {
          code: 429,
          message: 'All credentials for model gemini-2.5-pro are cooling down',
          status: 'RESOURCE_EXHAUSTED',
          model: 'gemini-2.5-pro',
          provider: 'gemini-cli',
          reset_time: '1m2s',
          reset_seconds: 62,
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '62s' }],
        },
      },
    });
  });
});

describe('gemini decodeError', () => {
  it('reads Google error bodies, also inside a JSON array, and tolerates text', () => {
    const body = JSON.stringify({
      error: {
        code: 429,
        message: 'You exceeded your current quota. Please retry in 38.5s.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38s' }],
      },
    });
    expect(geminiCodec.decodeError(429, body)).toEqual({
      message: 'You exceeded your current quota. Please retry in 38.5s.',
      type: 'RESOURCE_EXHAUSTED',
    });
    expect(geminiCodec.decodeError(503, `[${JSON.stringify({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })}]`)).toEqual({
      message: 'The model is overloaded.',
      type: 'UNAVAILABLE',
    });
    expect(geminiCodec.decodeError(502, '<html>Bad Gateway</html>')).toEqual({ message: '<html>Bad Gateway</html>' });
    expect(geminiCodec.decodeError(500, '')).toEqual({ message: 'Gemini upstream returned HTTP 500' });
  });
});
