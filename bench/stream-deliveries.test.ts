import { describe, expect, it } from 'vitest';
import { streamContentPattern } from './bench-targets.ts';
import { analyseDeliveries } from './stream-deliveries.ts';

const content = new RegExp(streamContentPattern({ chunks: 3, delayMs: 20 }), 'g');
const chunk = (word: string) => `data: {"choices":[{"delta":{"content":"${word} "}}]}\n\n`;

describe('analyseDeliveries', () => {
  it('counts each chunk that arrives on its own, whatever the framing around it', () => {
    const sample = analyseDeliveries(
      [
        { at: 1, text: 'data: {"role":"assistant","content":""}\n\n' },
        { at: 21, text: chunk('the') },
        { at: 41, text: 'event: content_block_delta\ndata: {"delta":{"type":"text_delta","text":"fox "}}\n\n' },
        { at: 61, text: 'data: {"candidates": [{"content": {"parts": [{"text": "ran "}]}}]}\r\n\r\n' },
        { at: 62, text: 'data: [DONE]\n\n' },
      ],
      20,
      content,
      63,
    );
    expect(sample).toEqual({ ttfb: 1, ttft: 21, total: 63, contentDeliveries: 3, maxChunksPerDelivery: 1, gaps: [20, 20] });
  });

  it('shows chunks held back and sent together', () => {
    const sample = analyseDeliveries([{ at: 21, text: chunk('the') }, { at: 61, text: chunk('fox') }, { at: 61.5, text: chunk('ran') }], 20, content, 62);
    expect(sample).toMatchObject({ contentDeliveries: 2, maxChunksPerDelivery: 2, gaps: [40] });
  });

  it('does not count the full text repeated in a final summary event', () => {
    const sample = analyseDeliveries([{ at: 21, text: chunk('the') }, { at: 41, text: 'data: {"output_text":"the fox ran "}\n\n' }], 20, content, 42);
    expect(sample).toMatchObject({ contentDeliveries: 1, maxChunksPerDelivery: 1 });
  });

  it('reports a stream without content', () => {
    expect(analyseDeliveries([{ at: 1, text: 'data: [DONE]\n\n' }], 20, content, 2)).toBe('no content chunk in the stream');
  });
});
