import { expect } from 'vitest';
import type { ErrorExpectation } from '../client.ts';

/** OpenAI's error shape, shared by Chat Completions and Responses: `{"error":{"message","type","param","code"}}`. */
export const openaiErrorExpectation: ErrorExpectation = {
  assertRateLimited(capture, body, retryAfterSeconds) {
    expect(capture.status).toBe(429);
    expect(capture.headers.get('retry-after')).toBe(String(retryAfterSeconds));
    // OpenAI's code, or the ChatGPT backend's own type that Codex clients read (with resets_in_seconds).
    expect(['rate_limit_exceeded', 'usage_limit_reached']).toContain(body?.error?.code ?? body?.error?.type);
    expect(body.error.message).toEqual(expect.stringMatching(/\S/));
  },
  assertServerError(capture, body) {
    expect(capture.status).toBe(500);
    expect(body?.error?.message).toEqual(expect.stringMatching(/\S/));
    expect(body.error.type).toEqual(expect.any(String));
  },
  assertClientError(capture, body, status) {
    expect(capture.status).toBe(status);
    expect(body?.error?.message).toEqual(expect.stringMatching(/\S/));
    expect(body.error.type).toEqual(expect.any(String));
    expect(Object.keys(body)).toEqual(['error']);
  },
};
