import type { StreamEncoder, StreamEncoderOptions } from '../../ir/codec.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { emptyUsage, mergeUsage } from '../../ir/usage.ts';
import { encodeOpenaiChatStreamError } from './encode-error.ts';
import { openaiChatRequestExtensions, readOpenaiChatExtensions } from './extensions.ts';
import { encodeOpenaiChatFinishReason } from './map-finish-reason.ts';
import { encodeOpenaiChatUsage } from './map-usage.ts';
import { openaiStyleResponseId } from './response-id.ts';

/**
 * Canonical parts → `chat.completion.chunk` SSE lines. The chunk head (id, object, created, model)
 * is serialised once per stream; each part only serialises its own delta.
 */
export class OpenaiChatStreamEncoder implements StreamEncoder {
  private readonly model: string;
  private readonly includeUsage: boolean;
  private head: string;
  private readonly toolIndexes = new Map<number, number>();
  private readonly refusalBlocks = new Set<number>();
  private readonly usage = emptyUsage();
  private errored = false;

  constructor(options: StreamEncoderOptions) {
    this.model = options.model;
    this.includeUsage = openaiChatRequestExtensions(options.request.extensions).includeUsage === true;
    this.head = this.makeHead('', Math.floor(Date.now() / 1000));
  }

  encode(part: StreamPart): string {
    switch (part.type) {
      case 'response-start':
        this.head = this.makeHead(part.id, part.created);
        return this.chunk({ role: 'assistant', content: '' }, null);
      case 'text-start':
        if (readOpenaiChatExtensions(part.extensions)?.refusal === true) this.refusalBlocks.add(part.index);
        return '';
      case 'text-delta':
        if (part.delta === '') return '';
        return this.chunk(this.refusalBlocks.has(part.index) ? { refusal: part.delta } : { content: part.delta }, null);
      case 'reasoning-delta':
        return part.delta === '' ? '' : this.chunk({ reasoning_content: part.delta }, null);
      case 'tool-call-start': {
        const toolIndex = this.toolIndexes.size;
        this.toolIndexes.set(part.index, toolIndex);
        return this.chunk(
          { tool_calls: [{ index: toolIndex, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }] },
          null,
        );
      }
      case 'tool-call-delta':
        if (part.argumentsDelta === '') return '';
        return this.chunk({ tool_calls: [{ index: this.toolIndexes.get(part.index) ?? 0, function: { arguments: part.argumentsDelta } }] }, null);
      case 'usage':
        mergeUsage(this.usage, part.usage);
        return '';
      case 'finish': {
        mergeUsage(this.usage, part.usage);
        const reason = encodeOpenaiChatFinishReason(part.finishReason, this.toolIndexes.size > 0);
        const finish = this.chunk({}, reason);
        if (!this.includeUsage) return finish;
        return `${finish}data: ${this.head},"choices":[],"usage":${JSON.stringify(encodeOpenaiChatUsage(this.usage))}}\n\n`;
      }
      case 'error':
        this.errored = true;
        return encodeOpenaiChatStreamError(part.error);
      default:
        // Block ends, signatures and redacted reasoning have no chunk of their own on this wire.
        return '';
    }
  }

  end(): string {
    return this.errored ? '' : 'data: [DONE]\n\n';
  }

  private makeHead(id: string, created: number): string {
    const head = JSON.stringify({ id: openaiStyleResponseId(id, 'chatcmpl-'), object: 'chat.completion.chunk', created, model: this.model });
    return head.slice(0, -1);
  }

  /** With include_usage, OpenAI sends `"usage":null` on every chunk but the last. */
  private chunk(delta: Record<string, unknown>, finishReason: string | null): string {
    const choice = JSON.stringify({ index: 0, delta, logprobs: null, finish_reason: finishReason });
    return `data: ${this.head},"choices":[${choice}]${this.includeUsage ? ',"usage":null' : ''}}\n\n`;
  }
}

export function createOpenaiChatStreamEncoder(options: StreamEncoderOptions): OpenaiChatStreamEncoder {
  return new OpenaiChatStreamEncoder(options);
}
