import type { CanonicalRequest } from '../ir/request.ts';
import type { CanonicalResponse } from '../ir/response.ts';
import type { Usage } from '../ir/usage.ts';

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

/** Characters per token of English-like text, for output that is only known by its length. */
const CHARACTERS_PER_TOKEN = 4;

/** Whether the upstream reported no usage at all (some compatible servers never do). */
export function isUnreportedUsage(usage: Usage | undefined): boolean {
  return usage === undefined || (usage.inputTokens === 0 && usage.outputTokens === 0);
}

/** The text a response carries (answer, reasoning, tool-call arguments), for an output estimate. */
export function responseTextOf(response: CanonicalResponse): string {
  let text = '';
  for (const part of response.content) text += part.type === 'tool-call' ? `${part.name} ${part.arguments}` : part.text;
  return text;
}

/**
 * A local estimate, flagged `estimated`, for an upstream that reported no usage: input counted
 * with the tokenizer; output too when its text is at hand, else from its length (streams).
 */
export async function estimateUsage(request: CanonicalRequest, output: { text: string } | { characters: number }): Promise<Usage> {
  let outputTokens: number;
  if ('text' in output) {
    tokenizer ??= import('gpt-tokenizer');
    outputTokens = output.text ? (await tokenizer).countTokens(output.text) : 0;
  } else {
    outputTokens = Math.ceil(output.characters / CHARACTERS_PER_TOKEN);
  }
  return {
    inputTokens: await estimateInputTokens(request),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens,
    reasoningTokens: 0,
    estimated: true,
  };
}
