import type { StreamEncoder, StreamEncoderOptions } from '../../ir/codec.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { OpenaiChatChunkWriter, type OpenaiChatChunkKind } from './chunk-writer.ts';
import { readOpenaiChatExtensions } from './extensions.ts';
import { encodeOpenaiChatFinishReason } from './map-finish-reason.ts';
import { encodeOpenaiChatUsage } from './map-usage.ts';

const CHAT_CHUNK: OpenaiChatChunkKind = { object: 'chat.completion.chunk', idPrefix: 'chatcmpl-', encodeUsage: encodeOpenaiChatUsage };

/** Canonical parts → `chat.completion.chunk` SSE lines. */
export class OpenaiChatStreamEncoder implements StreamEncoder {
  private readonly writer: OpenaiChatChunkWriter;
  private readonly toolIndexes = new Map<number, number>();
  private readonly refusalBlocks = new Set<number>();

  constructor(options: StreamEncoderOptions) {
    this.writer = new OpenaiChatChunkWriter(options, CHAT_CHUNK);
  }

  encode(part: StreamPart): string {
    switch (part.type) {
      case 'response-start':
        this.writer.start(part.id, part.created);
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
      case 'finish': {
        const reason = encodeOpenaiChatFinishReason(part.finishReason, this.toolIndexes.size > 0);
        return this.writer.finish(part.usage, { index: 0, delta: {}, logprobs: null, finish_reason: reason });
      }
      default:
        // Block ends, signatures and redacted reasoning have no chunk of their own on this wire.
        return this.writer.encodeOther(part);
    }
  }

  end(): string {
    return this.writer.end();
  }

  private chunk(delta: Record<string, unknown>, finishReason: string | null): string {
    return this.writer.chunk({ index: 0, delta, logprobs: null, finish_reason: finishReason });
  }
}

export function createOpenaiChatStreamEncoder(options: StreamEncoderOptions): OpenaiChatStreamEncoder {
  return new OpenaiChatStreamEncoder(options);
}
