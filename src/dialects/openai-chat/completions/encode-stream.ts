import type { StreamEncoder, StreamEncoderOptions } from '../../../ir/codec.ts';
import type { StreamPart } from '../../../ir/stream-part.ts';
import { emptyUsage, mergeUsage } from '../../../ir/usage.ts';
import { encodeOpenaiChatStreamError } from '../encode-error.ts';
import { openaiChatRequestExtensions } from '../extensions.ts';
import { openaiStyleResponseId } from '../response-id.ts';
import { encodeOpenaiCompletionsUsage } from './encode-usage.ts';
import { encodeOpenaiCompletionsFinishReason } from './map-finish-reason.ts';

/** Canonical parts → `text_completion` chunks: text only, then a finish chunk, the usage chunk if asked, `[DONE]`. */
export class OpenaiCompletionsStreamEncoder implements StreamEncoder {
  private readonly model: string;
  private readonly includeUsage: boolean;
  private head: string;
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
        return '';
      case 'text-delta':
        return part.delta === '' ? '' : this.chunk(part.delta, null);
      case 'usage':
        mergeUsage(this.usage, part.usage);
        return '';
      case 'finish': {
        mergeUsage(this.usage, part.usage);
        const finish = this.chunk('', encodeOpenaiCompletionsFinishReason(part.finishReason));
        if (!this.includeUsage) return finish;
        return `${finish}data: ${this.head},"choices":[],"usage":${JSON.stringify(encodeOpenaiCompletionsUsage(this.usage))}}\n\n`;
      }
      case 'error':
        this.errored = true;
        return encodeOpenaiChatStreamError(part.error);
      default:
        // Reasoning and block boundaries have no place in a text completion.
        return '';
    }
  }

  end(): string {
    return this.errored ? '' : 'data: [DONE]\n\n';
  }

  private makeHead(id: string, created: number): string {
    return JSON.stringify({ id: openaiStyleResponseId(id, 'cmpl-'), object: 'text_completion', created, model: this.model }).slice(0, -1);
  }

  private chunk(text: string, finishReason: string | null): string {
    const choice = JSON.stringify({ text, index: 0, logprobs: null, finish_reason: finishReason });
    return `data: ${this.head},"choices":[${choice}]${this.includeUsage ? ',"usage":null' : ''}}\n\n`;
  }
}

export function createOpenaiCompletionsStreamEncoder(options: StreamEncoderOptions): OpenaiCompletionsStreamEncoder {
  return new OpenaiCompletionsStreamEncoder(options);
}
