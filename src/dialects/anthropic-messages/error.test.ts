import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { decodeAnthropicError } from './decode-error.ts';
import { encodeAnthropicError, encodeAnthropicStreamError } from './encode-error.ts';

describe('encodeAnthropicError', () => {
  it.each([
    ['invalid_request', 400, 400, 'invalid_request_error'],
    ['authentication_error', 401, 401, 'authentication_error'],
    ['permission_error', 403, 403, 'permission_error'],
    ['model_not_found', 404, 404, 'not_found_error'],
    ['request_too_large', 413, 413, 'request_too_large'],
    ['rate_limited', 429, 429, 'rate_limit_error'],
    ['internal_error', 500, 500, 'api_error'],
    ['overloaded', 503, 529, 'overloaded_error'],
    ['upstream_timeout', 504, 504, 'timeout_error'],
  ] as const)('renders %s as HTTP %i → %i %s', (code, status, wireStatus, type) => {
    const rendering = encodeAnthropicError(new GatewayError({ status, code, message: 'boom' }));
    expect(rendering).toEqual({ status: wireStatus, body: { type: 'error', error: { type, message: 'boom' } } });
  });

  it('adds Retry-After and the model_cooldown details', () => {
    const rendering = encodeAnthropicError(
      new GatewayError({
        status: 429,
        code: 'model_cooldown',
        message: 'All credentials for model claude-x are cooling down',
        retryAfter: 61.2,
        details: { model: 'claude-x', provider: 'anthropic', reset_time: '1m2s', reset_seconds: 62 },
      }),
    );
    expect(rendering).toEqual({
      status: 429,
      headers: { 'Retry-After': '62' },
      body: {
        type: 'error',
        error: {
          type: 'rate_limit_error',
          message: 'All credentials for model claude-x are cooling down',
          model: 'claude-x',
          provider: 'anthropic',
          reset_time: '1m2s',
          reset_seconds: 62,
        },
      },
    });
  });

  it('prefers an upstream Anthropic error type', () => {
    const rendering = encodeAnthropicError(
      new GatewayError({ status: 402, code: 'permission_error', message: 'credit', upstreamType: 'billing_error' }),
    );
    expect(rendering.body).toEqual({ type: 'error', error: { type: 'billing_error', message: 'credit' } });
  });

  it('renders the in-stream error event', () => {
    const text = encodeAnthropicStreamError(new GatewayError({ status: 500, code: 'upstream_error', message: 'x' }));
    expect(text).toBe('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"x"}}\n\n');
    expect(parseSseText(text)).toEqual([{ event: 'error', data: '{"type":"error","error":{"type":"api_error","message":"x"}}' }]);
  });
});

describe('decodeAnthropicError', () => {
  it('reads type and message from an Anthropic error body', () => {
    const body = '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"},"request_id":"req_1"}';
    expect(decodeAnthropicError(400, body)).toEqual({ type: 'invalid_request_error', message: 'max_tokens: Field required' });
  });

  it('tolerates non-JSON and empty bodies', () => {
    expect(decodeAnthropicError(502, '<html>Bad Gateway</html>')).toEqual({ message: '<html>Bad Gateway</html>' });
    expect(decodeAnthropicError(503, '')).toEqual({ message: 'upstream returned HTTP 503' });
    expect(decodeAnthropicError(500, 'x'.repeat(600)).message).toHaveLength(501);
  });
});
