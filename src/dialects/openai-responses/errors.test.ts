import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import { decodeResponsesError } from './decode-error.ts';
import { encodeResponsesError } from './encode-error.ts';

describe('encodeResponsesError', () => {
  it('renders OpenAI\'s error shape with the gateway status', () => {
    expect(encodeResponsesError(new GatewayError({ status: 400, code: 'invalid_request', message: 'input: required' }))).toEqual({
      status: 400,
      body: { error: { message: 'input: required', type: 'invalid_request_error', param: null, code: null } },
    });
    expect(encodeResponsesError(new GatewayError({ status: 401, code: 'authentication_error', message: 'bad key' }))).toEqual({
      status: 401,
      body: { error: { message: 'bad key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
    });
    expect(encodeResponsesError(new GatewayError({ status: 404, code: 'model_not_found', message: 'no such model' })).body).toEqual({
      error: { message: 'no such model', type: 'invalid_request_error', param: null, code: 'model_not_found' },
    });
    expect(encodeResponsesError(new GatewayError({ status: 502, code: 'upstream_error', message: 'bad gateway' }))).toEqual({
      status: 502,
      body: { error: { message: 'bad gateway', type: 'server_error', param: null, code: 'upstream_error' } },
    });
  });

  it('passes on an upstream OpenAI code that clients act on', () => {
    const error = new GatewayError({ status: 400, code: 'invalid_request', message: 'too long', upstreamType: 'context_length_exceeded' });
    expect(encodeResponsesError(error).body).toEqual({
      error: { message: 'too long', type: 'invalid_request_error', param: null, code: 'context_length_exceeded' },
    });
  });

  it('adds Retry-After in whole seconds', () => {
    expect(encodeResponsesError(new GatewayError({ status: 429, code: 'rate_limited', message: 'slow down', retryAfter: 2.2 }))).toEqual({
      status: 429,
      body: { error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } },
      headers: { 'Retry-After': '3' },
    });
  });

  it('renders a model cooldown in CLIProxyAPI\'s shape', () => {
    const error = new GatewayError({
      status: 429,
      code: 'model_cooldown',
      message: 'All credentials for model gpt-5 are cooling down',
      retryAfter: 62,
      details: { model: 'gpt-5', provider: 'codex', reset_time: '1m2s', reset_seconds: 62 },
    });
    expect(encodeResponsesError(error)).toEqual({
      status: 429,
      body: {
        error: {
          code: 'model_cooldown',
          message: 'All credentials for model gpt-5 are cooling down',
          model: 'gpt-5',
          provider: 'codex',
          reset_time: '1m2s',
          reset_seconds: 62,
        },
      },
      headers: { 'Retry-After': '62' },
    });
  });
});

describe('decodeResponsesError', () => {
  it('reads OpenAI error bodies, preferring the precise code', () => {
    expect(
      decodeResponsesError(
        400,
        '{"error":{"message":"Your input exceeds the context window of this model.","type":"invalid_request_error","param":"input","code":"context_length_exceeded"}}',
      ),
    ).toEqual({ message: 'Your input exceeds the context window of this model.', type: 'context_length_exceeded' });
    expect(decodeResponsesError(429, '{"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":null}}')).toEqual({
      message: 'Rate limit reached',
      type: 'tokens',
    });
  });

  it('reads the ChatGPT backend\'s detail bodies and plain text', () => {
    expect(decodeResponsesError(400, '{"detail":"Unsupported parameter: temperature"}')).toEqual({ message: 'Unsupported parameter: temperature' });
    expect(decodeResponsesError(502, '<html>Bad Gateway</html>')).toEqual({ message: '<html>Bad Gateway</html>' });
    expect(decodeResponsesError(503, '')).toEqual({ message: 'upstream returned HTTP 503' });
    expect(decodeResponsesError(500, 'x'.repeat(600)).message).toHaveLength(501);
  });
});
