import { describe, expect, it } from 'vitest';
import { testUsageRecord } from '../storage/sqlite/__fixtures__/usage-records.ts';
import type { UsageRecord } from '../usage/usage-record.ts';
import { formatRequestLog, formatRfc3339Nano } from './format-request-log.ts';
import type { AttemptTrace, RequestFinishedEvent } from './request-events.ts';

// CLIProxyAPI writes local time; the sample below is in UTC.
process.env.TZ = 'UTC';

/** The regexes CCS runs on the files it reads from disk (first 4 KB, last 2 KB). */
const CCS_MODEL = /"model"\s*:\s*"([^"]+)"/;
const CCS_STATUS = /Status:\s*(\d{3})/;

function ccsView(text: string): { model?: string; status?: number } {
  const bytes = Buffer.from(text);
  const head = bytes.subarray(0, 4096).toString('utf8');
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString('utf8');
  const model = CCS_MODEL.exec(head)?.[1];
  const status = CCS_STATUS.exec(tail)?.[1];
  return { ...(model ? { model } : {}), ...(status ? { status: Number(status) } : {}) };
}

function record(overrides: Partial<UsageRecord>): UsageRecord {
  return testUsageRecord({
    id: 'req-1:1',
    timestamp: Date.UTC(2025, 0, 15, 10, 30, 0, 120),
    clientKeyId: 'k1',
    clientKeyLabel: 'sk-c…0001',
    modelRequested: 'claude-x',
    modelServed: 'claude-x',
    inputTokens: 0,
    outputTokens: 0,
    latencyMs: 40,
    costUsd: 0,
    ...overrides,
  });
}

const ERROR_BODY = '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}';
const REQUEST_BODY = '{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}';

function failedEvent(overrides: Partial<RequestFinishedEvent> = {}): RequestFinishedEvent {
  const attempts: AttemptTrace[] = [
    {
      record: record({ status: 429, failed: true, errorCode: 'rate_limited' }),
      upstreamUrl: 'http://up.example/v1/messages',
      upstreamRequestBody: '{"model":"claude-x"}',
      upstreamErrorBody: `${ERROR_BODY}\n`,
    },
    {
      record: record({ attempt: 2, id: 'req-1:2', credentialId: 'claude-api-key[1]', status: 504, failed: true, errorCode: 'upstream_timeout', latencyMs: 1000 }),
      upstreamUrl: 'http://up.example/v1/messages',
      upstreamRequestBody: '{"model":"claude-x"}',
    },
  ];
  return {
    requestId: 'req-1',
    receivedAt: Date.UTC(2025, 0, 15, 10, 30, 0, 120),
    method: 'POST',
    url: '/v1/messages?beta=true',
    headers: { host: '127.0.0.1:8317', 'content-type': 'application/json', 'x-api-key': 'sk-client-secret-0001', 'anthropic-version': '2023-06-01' },
    requestBody: Buffer.from(REQUEST_BODY),
    status: 429,
    responseBody: ERROR_BODY,
    attempts,
    ...overrides,
  };
}

describe('formatRequestLog', () => {
  it('writes a failed request exactly in CLIProxyAPI sections, spacing and key formats', () => {
    // Derived from CLIProxyAPI's request_logger.go (writeNonStreamingLog, writeSectionSpacing tops each
    // section up to three newlines) and its executors' per-attempt "=== API REQUEST n ===" blocks.
    const expected = [
      '=== REQUEST INFO ===',
      'Version: 0.1.0-test',
      'URL: /v1/messages?beta=true',
      'Method: POST',
      'Downstream Transport: http',
      'Upstream Transport: http',
      'Timestamp: 2025-01-15T10:30:00.12Z',
      '',
      '',
      '=== HEADERS ===',
      'Host: 127.0.0.1:8317',
      'Content-Type: application/json',
      'X-Api-Key: sk-c…0001',
      'Anthropic-Version: 2023-06-01',
      '',
      '',
      '=== REQUEST BODY ===',
      REQUEST_BODY,
      '',
      '',
      '=== API REQUEST 1 ===',
      'Timestamp: 2025-01-15T10:30:00.12Z',
      'Upstream URL: http://up.example/v1/messages',
      'HTTP Method: POST',
      'Auth: provider=claude, auth_id=claude-api-key[0], type=api_key',
      '',
      'Headers:',
      '<none>',
      '',
      'Body:',
      '{"model":"claude-x"}',
      '',
      '=== API REQUEST 2 ===',
      'Timestamp: 2025-01-15T10:30:00.16Z',
      'Upstream URL: http://up.example/v1/messages',
      'HTTP Method: POST',
      'Auth: provider=claude, auth_id=claude-api-key[1], type=api_key',
      '',
      'Headers:',
      '<none>',
      '',
      'Body:',
      '{"model":"claude-x"}',
      '',
      '',
      '=== API ERROR RESPONSE ===',
      'HTTP Status: 429',
      ERROR_BODY,
      '',
      '',
      '=== API RESPONSE 1 ===',
      'Timestamp: 2025-01-15T10:30:00.16Z',
      '',
      'Status: 429',
      'Headers:',
      '<none>',
      '',
      'Body:',
      ERROR_BODY,
      '',
      '=== API RESPONSE 2 ===',
      'Timestamp: 2025-01-15T10:30:01.16Z',
      '',
      'Error: upstream_timeout (status 504)',
      '',
      '',
      '=== RESPONSE ===',
      'Status: 429',
      '',
      ERROR_BODY,
      '',
    ].join('\n');
    expect(formatRequestLog(failedEvent(), '0.1.0-test')).toBe(expected);
  });

  it('lets CCS find the model in the first 4 KB and the status in the last 2 KB', () => {
    expect(ccsView(formatRequestLog(failedEvent(), 'v'))).toEqual({ model: 'claude-x', status: 429 });
    // A long conversation pushes the request far from the end; the status stays in the tail.
    const long = JSON.stringify({ model: 'claude-x', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] });
    const event = failedEvent({ requestBody: Buffer.from(long), attempts: [], status: 502, responseBody: '{"error":{"message":"bad gateway"}}' });
    expect(ccsView(formatRequestLog(event, 'v'))).toEqual({ model: 'claude-x', status: 502 });
  });

  it('writes a plain success without API sections and a streamed one without a body', () => {
    const plain = formatRequestLog(failedEvent({ status: 200, responseBody: '{"ok":true}', attempts: [] }), 'v');
    expect(plain).not.toContain('=== API');
    expect(plain).not.toContain('Upstream Transport');
    expect(plain.endsWith('=== RESPONSE ===\nStatus: 200\n\n{"ok":true}\n')).toBe(true);

    const streamed = formatRequestLog(
      failedEvent({ status: 200, responseBody: undefined, attempts: [{ record: record({ stream: true, ttftMs: 15 }), upstreamUrl: 'http://up/v1/messages', upstreamRequestBody: '{}' }] }),
      'v',
    );
    expect(streamed).toContain('=== API RESPONSE 1 ===\nTimestamp: 2025-01-15T10:30:00.135Z\n\nStatus: 200\nHeaders:\n<none>\n\n\n=== RESPONSE ===');
    expect(streamed.endsWith('=== RESPONSE ===\nStatus: 200\n\n')).toBe(true);
  });

  it('writes an empty request body as CLIProxyAPI does (two newlines after the header)', () => {
    const text = formatRequestLog(failedEvent({ requestBody: Buffer.alloc(0), attempts: [], status: 404, responseBody: 'nope' }), 'v');
    expect(text).toContain('=== REQUEST BODY ===\n\n\n=== API ERROR RESPONSE ===\nHTTP Status: 404\nnope\n\n\n=== RESPONSE ===\nStatus: 404\n\nnope\n');
  });

  it('masks credential headers, ?key= in both URLs, and keeps the auth scheme', () => {
    const event = failedEvent({
      url: '/v1beta/models/gemini-2.5-pro:generateContent?key=AIzaClientKey123456&alt=sse',
      headers: {
        authorization: 'Bearer sk-client-secret-0001',
        'x-goog-api-key': 'AIzaClientKey123456',
        'x-management-key': 'management-secret-77',
        cookie: 'session=abcdefghijkl',
        accept: '*/*',
      },
    });
    event.attempts[0]!.upstreamUrl = 'https://generativelanguage.example/v1beta/models/gemini-2.5-pro:generateContent?alt=sse&key=AIzaUpstream9876543';
    const text = formatRequestLog(event, 'v');
    expect(text).toContain('URL: /v1beta/models/gemini-2.5-pro:generateContent?key=AIza…3456&alt=sse\n');
    expect(text).toContain('Upstream URL: https://generativelanguage.example/v1beta/models/gemini-2.5-pro:generateContent?alt=sse&key=AIza…6543\n');
    expect(text).toContain('Authorization: Bearer sk-c…0001\n');
    expect(text).toContain('X-Goog-Api-Key: AIza…3456\n');
    expect(text).toContain('Cookie: sess…ijkl\n');
    expect(text).toContain('X-Management-Key: mana…t-77\n');
    expect(text).toContain('Accept: */*\n');
    for (const secret of ['sk-client-secret-0001', 'AIzaClientKey123456', 'AIzaUpstream9876543', 'management-secret-77']) expect(text).not.toContain(secret);
  });

  it('formats timestamps like Go RFC3339Nano in local time', () => {
    expect(formatRfc3339Nano(new Date(Date.UTC(2025, 0, 15, 10, 30, 0, 0)))).toBe('2025-01-15T10:30:00Z');
    expect(formatRfc3339Nano(new Date(Date.UTC(2025, 0, 15, 10, 30, 0, 5)))).toBe('2025-01-15T10:30:00.005Z');
    expect(formatRfc3339Nano(new Date(Date.UTC(2025, 0, 15, 10, 30, 0, 500)))).toBe('2025-01-15T10:30:00.5Z');
  });
});
