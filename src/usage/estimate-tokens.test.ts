import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../ir/request.ts';
import { emptyUsage } from '../ir/usage.ts';
import { estimateUsage, isUnreportedUsage, responseTextOf } from './estimate-tokens.ts';

const request: CanonicalRequest = { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hello world, how are you today?' }] }] };

describe('usage estimates', () => {
  it('treats only an all-zero (or missing) report as unreported', () => {
    expect(isUnreportedUsage(undefined)).toBe(true);
    expect(isUnreportedUsage(emptyUsage())).toBe(true);
    expect(isUnreportedUsage({ ...emptyUsage(), outputTokens: 1 })).toBe(false);
  });

  it('counts input with the tokenizer and output from text or length, flagged estimated', async () => {
    const fromText = await estimateUsage(request, { text: 'a reply of several words' });
    expect(fromText).toMatchObject({ outputTokens: 5, estimated: true, cachedInputTokens: 0 });
    expect(fromText.inputTokens).toBeGreaterThan(8);
    expect((await estimateUsage(request, { characters: 41 })).outputTokens).toBe(11);
  });

  it('reads the text of every kind of answer part', () => {
    const text = responseTextOf({
      id: 'r',
      model: 'm',
      created: 0,
      finishReason: { unified: 'stop' },
      usage: emptyUsage(),
      content: [
        { type: 'reasoning', text: 'think ' },
        { type: 'text', text: 'say ' },
        { type: 'tool-call', id: 'c', name: 'Bash', arguments: '{"command":"ls"}' },
      ],
    });
    expect(text).toBe('think say Bash {"command":"ls"}');
  });
});
