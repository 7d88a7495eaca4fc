import { describe, expect, it } from 'vitest';
import { utf8Bytes } from './utf8-bytes.ts';

const long = (sample: string) => sample.repeat(Math.ceil(10_000 / sample.length));

describe('utf8Bytes', () => {
  it.each([
    ['short text', 'héllo → wörld'],
    ['long ASCII', long('plain text, "quoted"\n')],
    ['long Latin-1', long('café, naïve, señor ')],
    ['long two-byte text', long('a → b — c … “d” 漢字 ')],
    ['astral characters', long('emoji 😀 and 𝄞 ')],
    ['a lone high surrogate', long('x') + '\ud800' + long('→')],
    ['a lone low surrogate', long('→') + '\udc00'],
  ])('encodes %s exactly as Buffer.from does', (_name, text) => {
    expect(utf8Bytes(text).equals(Buffer.from(text))).toBe(true);
  });
});
