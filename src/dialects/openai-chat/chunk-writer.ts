import type { StreamEncoderOptions } from '../../ir/codec.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { emptyUsage, mergeUsage, type Usage } from '../../ir/usage.ts';
import { encodeOpenaiChatStreamError } from './encode-error.ts';
import { openaiChatRequestExtensions } from './extensions.ts';
import { openaiStyleResponseId } from './response-id.ts';

/** What sets a Chat stream (`chat.completion.chunk`) and a legacy Completions stream (`text_completion`) apart. */
export interface OpenaiChatChunkKind {
  object: 'chat.completion.chunk' | 'text_completion';
  idPrefix: 'chatcmpl-' | 'cmpl-';
  encodeUsage(usage: Usage): Record<string, unknown>;
}

/**
 * The SSE framing both OpenAI streams share. The chunk head (id, object, created, model) is
 * serialised once per stream; each chunk only serialises its own choice. After the finish chunk
 * comes the usage chunk if the client asked for it, then `[DONE]` unless the stream failed.
 */
export class OpenaiChatChunkWriter {
  private readonly kind: OpenaiChatChunkKind;
  private readonly model: string;
  private readonly includeUsage: boolean;
  private head: string;
  private readonly usage = emptyUsage();
  private errored = false;

  constructor(options: StreamEncoderOptions, kind: OpenaiChatChunkKind) {
    this.kind = kind;
    this.model = options.model;
    this.includeUsage = openaiChatRequestExtensions(options.request.extensions).includeUsage === true;
    this.head = this.makeHead('', Math.floor(Date.now() / 1000));
  }

  start(id: string, created: number): void {
    this.head = this.makeHead(id, created);
  }

  /** With include_usage, OpenAI sends `"usage":null` on every chunk but the last. */
  chunk(choice: Record<string, unknown>): string {
    return `data: ${this.head},"choices":[${JSON.stringify(choice)}]${this.includeUsage ? ',"usage":null' : ''}}\n\n`;
  }

  finish(usage: Partial<Usage>, choice: Record<string, unknown>): string {
    mergeUsage(this.usage, usage);
    const finish = this.chunk(choice);
    if (!this.includeUsage) return finish;
    return `${finish}data: ${this.head},"choices":[],"usage":${JSON.stringify(this.kind.encodeUsage(this.usage))}}\n\n`;
  }

  /** Usage is kept for the usage chunk, an error ends the stream; any other part has no chunk of its own. */
  encodeOther(part: StreamPart): string {
    switch (part.type) {
      case 'usage':
        mergeUsage(this.usage, part.usage);
        return '';
      case 'error':
        this.errored = true;
        return encodeOpenaiChatStreamError(part.error);
      default:
        return '';
    }
  }

  end(): string {
    return this.errored ? '' : 'data: [DONE]\n\n';
  }

  private makeHead(id: string, created: number): string {
    const head = JSON.stringify({ id: openaiStyleResponseId(id, this.kind.idPrefix), object: this.kind.object, created, model: this.model });
    return head.slice(0, -1);
  }
}
