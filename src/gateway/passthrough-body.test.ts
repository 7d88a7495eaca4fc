import { describe, expect, it } from 'vitest';
import { renameModelInRawBody } from './passthrough-body.ts';

const rename = (raw: string, from: string, to: string) => renameModelInRawBody(Buffer.from(raw), from, to)?.toString('utf8');

describe('renameModelInRawBody', () => {
  it('renames the top-level model and keeps every other byte, wherever the key is and however it is spaced', () => {
    expect(rename('{"model":"alias","messages":[]}', 'alias', 'gpt-4o')).toBe('{"model":"gpt-4o","messages":[]}');
    expect(rename('{"messages":[{"role":"user","content":"hé \\"model\\": \\"x\\""}], "model" :  "alias" , "n":1}', 'alias', 'up/stream')).toBe(
      '{"messages":[{"role":"user","content":"hé \\"model\\": \\"x\\""}], "model" :  "up/stream" , "n":1}',
    );
  });

  it('gives the result JSON.parse reads as the parsed body with the model renamed', () => {
    const body = { messages: [{ role: 'user', content: 'naïve — 日本語 "model": "alias"' }], model: 'claude-sonnet-4-5(high)', stream: true };
    const renamed = renameModelInRawBody(Buffer.from(JSON.stringify(body)), body.model, 'claude-sonnet-4-5');
    expect(JSON.parse(renamed!.toString('utf8'))).toEqual({ ...body, model: 'claude-sonnet-4-5' });
  });

  it('declines when another object has a string model too, or the name is written escaped', () => {
    expect(rename('{"model":"alias","metadata":{"model":"alias"}}', 'alias', 'x')).toBeUndefined();
    expect(rename('{"model":"ali\\u0061s"}', 'alias', 'x')).toBeUndefined();
    expect(rename('{"messages":[]}', 'alias', 'x')).toBeUndefined();
  });

  it('ignores model keys whose value is not a string (a tool schema property)', () => {
    expect(rename('{"tools":[{"parameters":{"properties":{"model":{"type":"string"}}}}],"model":"a"}', 'a', 'b')).toBe(
      '{"tools":[{"parameters":{"properties":{"model":{"type":"string"}}}}],"model":"b"}',
    );
  });
});
