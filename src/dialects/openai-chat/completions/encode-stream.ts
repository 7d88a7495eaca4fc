import type { StreamEncoder, StreamEncoderOptions } from '../../../ir/codec.ts';
import type { StreamPart } from '../../../ir/stream-part.ts';
import { OpenaiChatChunkWriter, type OpenaiChatChunkKind } from '../chunk-writer.ts';
import { encodeOpenaiCompletionsUsage } from './encode-usage.ts';
import { encodeOpenaiCompletionsFinishReason } from './map-finish-reason.ts';

const COMPLETIONS_CHUNK: OpenaiChatChunkKind = { object: 'text_completion', idPrefix: 'cmpl-', encodeUsage: encodeOpenaiCompletionsUsage };

/** Canonical parts → `text_completion` chunks: text only, then a finish chunk, the usage chunk if asked, `[DONE]`. */
export class OpenaiCompletionsStreamEncoder implements StreamEncoder {
  private readonly writer: OpenaiChatChunkWriter;

  constructor(options: StreamEncoderOptions) {
    this.writer = new OpenaiChatChunkWriter(options, COMPLETIONS_CHUNK);
  }

  encode(part: StreamPart): string {
    switch (part.type) {
      case 'response-start':
        this.writer.start(part.id, part.created);
        return '';
      case 'text-delta':
        return part.delta === '' ? '' : this.writer.chunk(choice(part.delta, null));
      case 'finish':
        return this.writer.finish(part.usage, choice('', encodeOpenaiCompletionsFinishReason(part.finishReason)));
      default:
        // Reasoning and block boundaries have no place in a text completion.
        return this.writer.encodeOther(part);
    }
  }

  end(): string {
    return this.writer.end();
  }
}

function choice(text: string, finishReason: string | null): Record<string, unknown> {
  return { text, index: 0, logprobs: null, finish_reason: finishReason };
}

export function createOpenaiCompletionsStreamEncoder(options: StreamEncoderOptions): OpenaiCompletionsStreamEncoder {
  return new OpenaiCompletionsStreamEncoder(options);
}
