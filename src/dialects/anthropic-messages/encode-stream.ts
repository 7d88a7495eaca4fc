import type { StreamEncoder, StreamEncoderOptions } from '../../ir/codec.ts';
import type { DialectId, Extensions } from '../../ir/dialect-id.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { type Usage, emptyUsage, mergeUsage } from '../../ir/usage.ts';
import { anthropicClientOpaque, blocksBefore, partFields } from './encode-blocks.ts';
import { encodeAnthropicStreamError } from './encode-error.ts';
import {
  type AnthropicContainerExtension,
  type AnthropicStartExtension,
  type WireBlock,
  anthropicExtension,
} from './extensions.ts';
import { anthropicMessageId, newAnthropicMessageId } from './ids.ts';
import { encodeAnthropicStopReason } from './map-stop-reason.ts';
import { encodeAnthropicUsage } from './map-usage.ts';

/** The real API's ping, byte for byte (it is the one event Anthropic writes with a space). */
const PING = 'event: ping\ndata: {"type": "ping"}\n\n';

function sse(event: string, data: Record<string, unknown>): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

type OpenBlock =
  | { kind: 'text' | 'tool-call'; index: number; openedAfterOpaque: boolean }
  /** Thinking opens on its first text (or at its end): until then it may turn out to be redacted only. */
  | {
      kind: 'reasoning';
      index: number | undefined;
      openedAfterOpaque: boolean;
      signature?: string;
      redacted?: string;
      origin?: DialectId;
    };

/**
 * Canonical parts → Messages API SSE, in the real order: message_start, ping, then per block
 * content_block_start / content_block_delta… / content_block_stop, then message_delta and message_stop.
 * Wire indexes are counted here: one canonical reasoning part may need two blocks, and opaque server
 * tool blocks from an Anthropic upstream take indexes of their own.
 */
export class AnthropicStreamEncoder implements StreamEncoder {
  private readonly model: string;
  private readonly usage: Usage = emptyUsage();
  private started = false;
  private finished = false;
  private nextIndex = 0;
  private block: OpenBlock | undefined;

  constructor(options: StreamEncoderOptions) {
    this.model = options.model;
  }

  encode(part: StreamPart): string {
    if (this.finished) return '';
    switch (part.type) {
      case 'response-start': {
        const early = anthropicExtension<AnthropicStartExtension>(part.extensions)?.usage;
        if (early) mergeUsage(this.usage, early);
        return this.messageStart(part.id);
      }
      case 'usage':
        mergeUsage(this.usage, part.usage);
        return '';
      case 'text-start':
        return this.open('text', part.extensions, { type: 'text', text: '' });
      case 'text-delta':
        if (part.delta.length === 0) return '';
        return this.ensureOpen('text') + this.delta({ type: 'text_delta', text: part.delta });
      case 'text-end':
        return this.ensureOpen('text') + this.citations(part.extensions) + this.close(part.extensions);
      case 'tool-call-start': {
        const fields = partFields(part.extensions);
        return this.open('tool-call', part.extensions, { type: 'tool_use', id: part.id, name: part.name, input: {}, ...fields });
      }
      case 'tool-call-delta':
        if (part.argumentsDelta.length === 0) return '';
        return this.ensureOpen('tool-call') + this.delta({ type: 'input_json_delta', partial_json: part.argumentsDelta });
      case 'tool-call-end':
        return this.ensureOpen('tool-call') + this.close(part.extensions);
      case 'reasoning-start': {
        const before = blocksBefore(part.extensions);
        const head = this.messageStart() + this.closeOpen() + this.opaque(before);
        this.block = { kind: 'reasoning', index: undefined, openedAfterOpaque: before !== undefined };
        return head;
      }
      case 'reasoning-delta':
        if (part.delta.length === 0) return '';
        return this.ensureThinking() + this.delta({ type: 'thinking_delta', thinking: part.delta });
      case 'reasoning-signature': {
        const head = this.ensureReasoning();
        // Claude sends the signature last, just before content_block_stop; so does this encoder.
        if (this.block?.kind === 'reasoning') {
          this.block.signature = part.signature;
          this.block.origin = part.origin;
        }
        return head;
      }
      case 'reasoning-redacted': {
        const head = this.ensureReasoning();
        if (this.block?.kind === 'reasoning') {
          this.block.redacted = part.data;
          this.block.origin = part.origin;
        }
        return head;
      }
      case 'reasoning-end':
        return this.ensureReasoning() + this.close(part.extensions);
      case 'finish': {
        mergeUsage(this.usage, part.usage);
        this.finished = true;
        const extension = anthropicExtension<AnthropicContainerExtension>(part.extensions);
        const delta = {
          stop_reason: encodeAnthropicStopReason(part.finishReason),
          stop_sequence: part.finishReason.stopSequence ?? null,
          ...extension?.fields,
        };
        return (
          this.messageStart() +
          this.closeOpen() +
          this.opaque(extension?.blocksAfter) +
          sse('message_delta', { type: 'message_delta', delta, usage: encodeAnthropicUsage(this.usage) }) +
          sse('message_stop', { type: 'message_stop' })
        );
      }
      case 'error':
        this.finished = true;
        return encodeAnthropicStreamError(part.error);
    }
  }

  end(): string {
    return '';
  }

  private messageStart(id?: string): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: id !== undefined ? anthropicMessageId(id) : newAnthropicMessageId(),
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: encodeAnthropicUsage(this.usage),
    };
    return sse('message_start', { type: 'message_start', message }) + PING;
  }

  private blockStart(block: WireBlock): { index: number; text: string } {
    const index = this.nextIndex++;
    return { index, text: sse('content_block_start', { type: 'content_block_start', index, content_block: block }) };
  }

  private blockStop(index: number): string {
    return sse('content_block_stop', { type: 'content_block_stop', index });
  }

  /** Server tool blocks an Anthropic upstream sent, each as a complete start/stop pair. */
  private opaque(blocks: WireBlock[] | undefined): string {
    let text = '';
    for (const block of blocks ?? []) {
      const start = this.blockStart(block);
      text += start.text + this.blockStop(start.index);
    }
    return text;
  }

  private open(kind: 'text' | 'tool-call', extensions: Extensions | undefined, block: WireBlock): string {
    const before = blocksBefore(extensions);
    const head = this.messageStart() + this.closeOpen() + this.opaque(before);
    const start = this.blockStart(block);
    this.block = { kind, index: start.index, openedAfterOpaque: before !== undefined };
    return head + start.text;
  }

  /** Deltas without their start part (a sloppy upstream decoder) still land in a block of their kind. */
  private ensureOpen(kind: 'text' | 'tool-call'): string {
    if (this.block?.kind === kind) return '';
    return this.open(kind, undefined, kind === 'text' ? { type: 'text', text: '' } : { type: 'tool_use', id: '', name: '', input: {} });
  }

  private ensureReasoning(): string {
    if (this.block?.kind === 'reasoning') return '';
    const head = this.messageStart() + this.closeOpen();
    this.block = { kind: 'reasoning', index: undefined, openedAfterOpaque: false };
    return head;
  }

  private ensureThinking(): string {
    const head = this.ensureReasoning();
    const block = this.block;
    if (block?.kind !== 'reasoning' || block.index !== undefined) return head;
    const start = this.blockStart({ type: 'thinking', thinking: '', signature: '' });
    block.index = start.index;
    return head + start.text;
  }

  private delta(delta: Record<string, unknown>): string {
    return this.deltaAt(this.block?.index ?? 0, delta);
  }

  /** Citations collected on a text block go out as citations_delta events before it stops. */
  private citations(extensions: Extensions | undefined): string {
    const citations = partFields(extensions)?.citations;
    if (!Array.isArray(citations)) return '';
    let text = '';
    for (const citation of citations) text += this.delta({ type: 'citations_delta', citation });
    return text;
  }

  private close(endExtensions?: Extensions): string {
    const block = this.block;
    if (!block) return '';
    this.block = undefined;
    let text = '';
    text += block.kind === 'reasoning' ? this.reasoningBlocks(block) : this.blockStop(block.index);
    // After a round trip through a collected response, opaque blocks arrive on the end part: late, not lost.
    if (!block.openedAfterOpaque) text += this.opaque(blocksBefore(endExtensions));
    return text;
  }

  /**
   * Ends a reasoning part: its thinking block (opened now when it has only a signature, as with display
   * "omitted"), then its redacted data as a redacted_thinking block. Reasoning with neither text, signature
   * nor data has nothing to send. Other dialects' signatures and data go out wrapped (see encodeAnthropicReasoning).
   */
  private reasoningBlocks(block: Extract<OpenBlock, { kind: 'reasoning' }>): string {
    let text = '';
    const signature = block.signature === undefined ? undefined : anthropicClientOpaque(block.signature, block.origin, 'signature');
    if (block.index !== undefined) {
      if (signature !== undefined) text += this.deltaAt(block.index, { type: 'signature_delta', signature });
      text += this.blockStop(block.index);
    } else if (signature !== undefined) {
      const start = this.blockStart({ type: 'thinking', thinking: '', signature: '' });
      text += start.text + this.deltaAt(start.index, { type: 'signature_delta', signature }) + this.blockStop(start.index);
    }
    if (block.redacted !== undefined) {
      const start = this.blockStart({ type: 'redacted_thinking', data: anthropicClientOpaque(block.redacted, block.origin, 'redactedData') });
      text += start.text + this.blockStop(start.index);
    }
    return text;
  }

  private deltaAt(index: number, delta: Record<string, unknown>): string {
    return sse('content_block_delta', { type: 'content_block_delta', index, delta });
  }

  private closeOpen(): string {
    return this.block ? this.close() : '';
  }
}
