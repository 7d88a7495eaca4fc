import { describe, expect, it } from 'vitest';
import { GatewayError, invalidRequest } from '../../ir/gateway-error.ts';
import { decodeOpenaiChatError } from './decode-error.ts';
import { encodeOpenaiChatError, encodeOpenaiChatStreamError } from './encode-error.ts';

describe('encodeOpenaiChatError', () => {
  it('renders each status with its OpenAI error type', () => {
    const cases: Array<[GatewayError, string, string]> = [
      [invalidRequest('messages: is required'), 'invalid_request_error', 'invalid_request'],
      [new GatewayError({ status: 401, code: 'authentication_error', message: 'bad key' }), 'authentication_error', 'authentication_error'],
      [new GatewayError({ status: 403, code: 'permission_error', message: 'no' }), 'permission_error', 'permission_error'],
      [new GatewayError({ status: 404, code: 'model_not_found', message: 'The model `x` does not exist' }), 'not_found_error', 'model_not_found'],
      [new GatewayError({ status: 429, code: 'rate_limited', message: 'slow down' }), 'rate_limit_error', 'rate_limit_exceeded'],
      [new GatewayError({ status: 502, code: 'upstream_error', message: 'bad gateway' }), 'server_error', 'upstream_error'],
      [new GatewayError({ status: 503, code: 'overloaded', message: 'busy' }), 'server_error', 'overloaded'],
    ];
    for (const [error, type, code] of cases) {
      expect(encodeOpenaiChatError(error)).toEqual({ status: error.status, body: { error: { message: error.message, type, param: null, code } } });
    }
  });

  it('keeps the upstream type and sets Retry-After in whole seconds', () => {
    const error = new GatewayError({ status: 429, code: 'rate_limited', message: 'quota', retryAfter: 1.2, upstreamType: 'insufficient_quota' });
    expect(encodeOpenaiChatError(error)).toEqual({
      status: 429,
      body: { error: { message: 'quota', type: 'insufficient_quota', param: null, code: 'rate_limit_exceeded' } },
      headers: { 'Retry-After': '2' },
    });
  });

  it('renders model_cooldown in the CLIProxyAPI shape', () => {
    const error = new GatewayError({
      status: 429,
      code: 'model_cooldown',
      message: 'All credentials for model gpt-5 are cooling down',
      retryAfter: 62,
      details: { model: 'gpt-5', provider: 'codex', reset_time: '1m2s', reset_seconds: 62 },
    });
    const rendering = encodeOpenaiChatError(error);
    expect(rendering.headers).toEqual({ 'Retry-After': '62' });
    expect(JSON.stringify(rendering.body)).toBe(
      '{"error":{"code":"model_cooldown","message":"All credentials for model gpt-5 are cooling down","model":"gpt-5","reset_time":"1m2s","reset_seconds":62,"provider":"codex"}}',
    );
  });

  it('renders an in-stream error as one data line', () => {
    expect(encodeOpenaiChatStreamError(new GatewayError({ status: 504, code: 'upstream_timeout', message: 'timed out' }))).toBe(
      'data: {"error":{"message":"timed out","type":"server_error","param":null,"code":"upstream_timeout"}}\n\n',
    );
  });
});

describe('decodeOpenaiChatError', () => {
  it('reads the OpenAI error shape', () => {
    expect(
      decodeOpenaiChatError(
        400,
        '{"error":{"message":"Unsupported parameter: \'max_tokens\'","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}',
      ),
    ).toEqual({ message: "Unsupported parameter: 'max_tokens'", type: 'invalid_request_error' });
  });

  it('falls back to code when type is null, and reads compatible-server shapes', () => {
    expect(decodeOpenaiChatError(429, '{"error":{"message":"Rate limit","type":null,"code":"rate_limit_exceeded"}}')).toEqual({
      message: 'Rate limit',
      type: 'rate_limit_exceeded',
    });
    expect(decodeOpenaiChatError(400, '{"detail":"max_tokens too large"}')).toEqual({ message: 'max_tokens too large' });
    expect(decodeOpenaiChatError(400, '{"error":"model required"}')).toEqual({ message: 'model required' });
    expect(decodeOpenaiChatError(400, '[{"error":{"code":400,"message":"Invalid","status":"INVALID_ARGUMENT"}}]')).toEqual({
      message: 'Invalid',
      type: 'INVALID_ARGUMENT',
    });
  });

  it('tolerates non-JSON and empty bodies', () => {
    expect(decodeOpenaiChatError(502, '<html>Bad Gateway</html>')).toEqual({ message: '<html>Bad Gateway</html>' });
    expect(decodeOpenaiChatError(503, '')).toEqual({ message: 'upstream returned HTTP 503' });
  });
});
