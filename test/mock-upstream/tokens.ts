/** The mock's tokenizer: a token is 4 characters, as the usual rough estimate has it. */
export const MOCK_CHARS_PER_TOKEN = 4;

export function countMockTokens(chars: number): number {
  return Math.ceil(chars / MOCK_CHARS_PER_TOKEN);
}

/** Cuts text into stream deltas of `tokensPerChunk` tokens, never inside a surrogate pair. */
export function splitMockChunks(text: string, tokensPerChunk: number): string[] {
  const size = Math.max(1, tokensPerChunk) * MOCK_CHARS_PER_TOKEN;
  if (text.length <= size) return text ? [text] : [];
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end++;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

const WORDS = ['the ', 'fox ', 'ran ', 'far ', 'and ', 'saw ', 'one ', 'red ', 'owl ', 'sit '];

/** Exactly `tokens` mock tokens of filler text. */
export function mockFillerText(tokens: number): string {
  let text = '';
  for (let i = 0; i < tokens; i++) text += WORDS[i % WORDS.length];
  return text;
}
