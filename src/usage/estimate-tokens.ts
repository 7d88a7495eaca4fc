import type { CanonicalRequest } from '../ir/request.ts';

/** Rough cost of an image of unknown size; Anthropic charges about (width × height) / 750 tokens, 1092² ≈ 1,600. */
const IMAGE_TOKENS = 1600;
/** Role markers and separators per message, as OpenAI's chat format counts them. */
const MESSAGE_OVERHEAD = 4;

/** The tokenizer's rank table costs about 75 MB of memory: loaded on the first estimate, not at start-up. */
let tokenizer: Promise<typeof import('gpt-tokenizer')> | undefined;

/**
 * Local estimate of a request's input tokens (o200k), for upstreams that cannot count. Only ever
 * reported with `estimated: true`.
 */
export async function estimateInputTokens(request: CanonicalRequest): Promise<number> {
  let text = '';
  let tokens = 0;
  for (const message of request.messages) {
    tokens += MESSAGE_OVERHEAD;
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
        case 'reasoning':
          text += part.text + '\n';
          break;
        case 'tool-call':
          text += `${part.name} ${part.arguments}\n`;
          break;
        case 'tool-result':
          for (const inner of part.content) {
            if (inner.type === 'text') text += inner.text + '\n';
            else tokens += IMAGE_TOKENS;
          }
          break;
        case 'image':
        case 'file':
          tokens += IMAGE_TOKENS;
          break;
      }
    }
  }
  for (const tool of request.tools ?? []) text += `${tool.name} ${tool.description ?? ''} ${JSON.stringify(tool.parameters)}\n`;
  if (!text) return tokens;
  tokenizer ??= import('gpt-tokenizer');
  return tokens + (await tokenizer).countTokens(text);
}
