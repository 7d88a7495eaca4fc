import { describe, expect, it } from 'vitest';
import type { ReasoningPart } from '../../ir/content.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { applyReasoningEnvelope, pushReasoningDataParts, readOpaqueReasoning, unwrapReasoning, wrapReasoning } from './reasoning-envelope.ts';

describe('reasoning envelope', () => {
  it('wraps data with its origin and unwraps it unchanged', () => {
    const envelope = { origin: 'anthropic-messages' as const, signature: 'EqQBCkYI+/=', redactedData: 'Em\u00e9\n"x"' };
    const wrapped = wrapReasoning(envelope);
    expect(wrapped).toMatch(/^switchyard\.reasoning\.v1:[A-Za-z0-9_-]+$/);
    expect(unwrapReasoning(wrapped)).toEqual(envelope);
  });

  it('leaves real values alone: base64 signatures and Fernet tokens are no envelope', () => {
    expect(unwrapReasoning('EqQBCkYIBxgCKkA+/==')).toBeUndefined();
    expect(unwrapReasoning('gAAAAABoq-complete-blob')).toBeUndefined();
    expect(unwrapReasoning('skip_thought_signature_validator')).toBeUndefined();
  });

  it('reads envelopes written before origins, and survives a damaged or forged one', () => {
    const legacy = `switchyard.reasoning.v1:${Buffer.from(JSON.stringify({ s: 'sig' })).toString('base64url')}`;
    expect(unwrapReasoning(legacy)).toEqual({ signature: 'sig' });
    expect(unwrapReasoning('switchyard.reasoning.v1:%%%')).toEqual({});
    const forged = `switchyard.reasoning.v1:${Buffer.from(JSON.stringify({ o: 'somewhere', r: 7, s: 'sig' })).toString('base64url')}`;
    expect(unwrapReasoning(forged)).toEqual({ signature: 'sig' });
  });

  it("reads a client's opaque value: raw is the client dialect's own, an envelope keeps its origin", () => {
    expect(readOpaqueReasoning('EqRaw', 'anthropic-messages', 'signature')).toEqual({ origin: 'anthropic-messages', signature: 'EqRaw' });
    expect(readOpaqueReasoning('gAAAAAraw', 'openai-responses', 'redactedData')).toEqual({ origin: 'openai-responses', redactedData: 'gAAAAAraw' });
    const wrapped = wrapReasoning({ origin: 'gemini', signature: 'CtG' });
    expect(readOpaqueReasoning(wrapped, 'anthropic-messages', 'signature')).toEqual({ origin: 'gemini', signature: 'CtG' });
  });

  it('fills a reasoning part and its stream parts from an envelope', () => {
    const part: ReasoningPart = { type: 'reasoning', text: 'T' };
    expect(applyReasoningEnvelope(part, { origin: 'openai-responses', redactedData: 'gAAAAA' })).toEqual({
      type: 'reasoning',
      text: 'T',
      redactedData: 'gAAAAA',
      origin: 'openai-responses',
    });
    const parts: StreamPart[] = [];
    pushReasoningDataParts(3, { origin: 'gemini', signature: 's', redactedData: 'r' }, parts);
    pushReasoningDataParts(4, { signature: 'unknown' }, parts);
    expect(parts).toEqual([
      { type: 'reasoning-redacted', index: 3, data: 'r', origin: 'gemini' },
      { type: 'reasoning-signature', index: 3, signature: 's', origin: 'gemini' },
      { type: 'reasoning-signature', index: 4, signature: 'unknown' },
    ]);
  });
});
