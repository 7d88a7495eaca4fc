import type { SseEvent, StreamDecoder } from '../../ir/codec.ts';
import type { Extensions } from '../../ir/dialect-id.ts';
import type { FinishReason } from '../../ir/finish-reason.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';
import { pushReasoningDataParts, readOpaqueReasoning, type ReasoningEnvelope } from '../shared/reasoning-envelope.ts';
import { BlockSequencer, type SequencedBlock } from './block-sequencer.ts';
import { anthropicStreamErrorToGateway } from './decode-error.ts';
import { ANTHROPIC, type AnthropicStartExtension, type WireBlock, toExtensions } from './extensions.ts';
import { extraFields } from './extra-fields.ts';
import { newAnthropicMessageId } from './ids.ts';
import { decodeAnthropicStopReason } from './map-stop-reason.ts';
import {
  type AnthropicUsageFigures,
  anthropicUsageToCanonical,
  emptyAnthropicUsage,
  mergeAnthropicUsage,
} from './map-usage.ts';

type UpstreamBlock =
  | { kind: 'text'; seq: SequencedBlock; citations?: unknown[] }
  | { kind: 'reasoning'; seq: SequencedBlock }
  | { kind: 'tool-call'; seq: SequencedBlock; sawArguments: boolean }
  /** A server tool block (server_tool_use, web_search_tool_result...): no IR form, carried opaquely. */
  | { kind: 'opaque'; block: WireBlock; json: string };

function streamCut(message: string): GatewayError {
  return new GatewayError({ status: 502, code: 'upstream_error', message });
}

/** Messages API SSE → canonical parts. */
export class AnthropicStreamDecoder implements StreamDecoder {
  private started = false;
  private terminated = false;
  private readonly usage: AnthropicUsageFigures = emptyAnthropicUsage();
  private readonly sequencer = new BlockSequencer();
  private readonly blocks = new Map<number, UpstreamBlock>();
  /** Opaque blocks waiting for the next canonical block (or the finish) to ride on. */
  private opaque: WireBlock[] = [];
  private stopReason: unknown;
  private stopSequence: unknown;
  private messageFields: Record<string, unknown> | undefined;

  decode(event: SseEvent): StreamPart[] {
    if (this.terminated) return [];
    const payload = parseJsonOrUndefined(event.data);
    if (payload === undefined) {
      this.terminated = true;
      return [{ type: 'error', error: streamCut(`upstream sent an unreadable stream event: ${event.data.slice(0, 200)}`) }];
    }
    const type = isRecord(payload) && typeof payload.type === 'string' ? payload.type : event.event;
    if (!isRecord(payload)) return [];
    const out: StreamPart[] = [];
    switch (type) {
      case 'message_start':
        this.messageStart(payload.message, out);
        break;
      case 'content_block_start':
        this.blockStart(payload, out);
        break;
      case 'content_block_delta':
        this.blockDelta(payload, out);
        break;
      case 'content_block_stop':
        this.blockStop(payload.index, out);
        break;
      case 'message_delta':
        this.messageDelta(payload);
        break;
      case 'message_stop':
        this.messageStop(out);
        break;
      case 'error':
        // An error before message_start stays alone (no response-start): the server can still answer with
        // a proper HTTP error instead of a started stream.
        this.terminated = true;
        out.push({ type: 'error', error: anthropicStreamErrorToGateway(payload) });
        break;
      // `ping` and event types newer than this decoder carry nothing to forward.
    }
    return out;
  }

  flush(): StreamPart[] {
    if (this.terminated) return [];
    this.terminated = true;
    return [{ type: 'error', error: streamCut('upstream stream ended before completion') }];
  }

  private ensureStarted(out: StreamPart[], id?: unknown, model?: unknown): void {
    if (this.started) return;
    this.started = true;
    out.push({
      type: 'response-start',
      id: typeof id === 'string' ? id : newAnthropicMessageId(),
      model: typeof model === 'string' ? model : '',
      created: Math.floor(Date.now() / 1000),
    });
  }

  private messageStart(message: unknown, out: StreamPart[]): void {
    const wire = isRecord(message) ? message : {};
    this.ensureStarted(out, wire.id, wire.model);
    mergeAnthropicUsage(this.usage, wire.usage);
    const usage = anthropicUsageToCanonical(this.usage);
    // Also on response-start for an Anthropic client, whose message_start wants the input figures up front.
    const start = out[out.length - 1];
    const startExtension: AnthropicStartExtension = { usage };
    if (start?.type === 'response-start') start.extensions = toExtensions(startExtension);
    out.push({ type: 'usage', usage });
  }

  /** Opaque blocks seen since the last canonical block, for that block's start part. */
  private takeOpaque(fields?: Record<string, unknown>): Extensions | undefined {
    const blocksBefore = this.opaque.length > 0 ? this.opaque : undefined;
    this.opaque = [];
    return toExtensions({ fields, blocksBefore });
  }

  private blockStart(payload: Record<string, unknown>, out: StreamPart[]): void {
    const index = payload.index;
    const block = payload.content_block;
    if (typeof index !== 'number' || !isRecord(block)) return;
    this.ensureStarted(out);
    switch (block.type) {
      case 'text': {
        const seq = this.sequencer.open();
        this.blocks.set(index, { kind: 'text', seq });
        this.sequencer.emit(seq, withExtensions({ type: 'text-start', index: 0 }, this.takeOpaque()), out);
        if (typeof block.text === 'string' && block.text.length > 0) {
          this.sequencer.emit(seq, { type: 'text-delta', index: 0, delta: block.text }, out);
        }
        return;
      }
      case 'thinking':
      case 'redacted_thinking': {
        const seq = this.sequencer.open();
        this.blocks.set(index, { kind: 'reasoning', seq });
        this.sequencer.emit(seq, withExtensions({ type: 'reasoning-start', index: 0 }, this.takeOpaque()), out);
        if (typeof block.thinking === 'string' && block.thinking.length > 0) {
          this.sequencer.emit(seq, { type: 'reasoning-delta', index: 0, delta: block.thinking }, out);
        }
        if (typeof block.signature === 'string' && block.signature.length > 0) {
          this.reasoningData(seq, readOpaqueReasoning(block.signature, ANTHROPIC, 'signature'), out);
        }
        if (typeof block.data === 'string') this.reasoningData(seq, readOpaqueReasoning(block.data, ANTHROPIC, 'redactedData'), out);
        return;
      }
      case 'tool_use': {
        const seq = this.sequencer.open();
        const extensions = this.takeOpaque(extraFields(block, ['type', 'id', 'name', 'input']));
        const start: StreamPart = {
          type: 'tool-call-start',
          index: 0,
          id: typeof block.id === 'string' ? block.id : '',
          name: typeof block.name === 'string' ? block.name : '',
        };
        this.sequencer.emit(seq, withExtensions(start, extensions), out);
        // The real API starts with `input: {}` and streams the JSON; a proxy may send it whole here.
        const hasInput = isRecord(block.input) && Object.keys(block.input).length > 0;
        if (hasInput) this.sequencer.emit(seq, { type: 'tool-call-delta', index: 0, argumentsDelta: JSON.stringify(block.input) }, out);
        this.blocks.set(index, { kind: 'tool-call', seq, sawArguments: hasInput });
        return;
      }
      default:
        this.blocks.set(index, { kind: 'opaque', block: { ...block }, json: '' });
    }
  }

  private blockDelta(payload: Record<string, unknown>, out: StreamPart[]): void {
    const block = typeof payload.index === 'number' ? this.blocks.get(payload.index) : undefined;
    const delta = payload.delta;
    if (!block || !isRecord(delta)) return;
    switch (delta.type) {
      case 'text_delta':
        if (block.kind === 'text' && typeof delta.text === 'string' && delta.text.length > 0) {
          this.sequencer.emit(block.seq, { type: 'text-delta', index: 0, delta: delta.text }, out);
        }
        return;
      case 'citations_delta':
        if (block.kind === 'text' && delta.citation !== undefined) (block.citations ??= []).push(delta.citation);
        return;
      case 'thinking_delta':
        if (block.kind === 'reasoning' && typeof delta.thinking === 'string' && delta.thinking.length > 0) {
          this.sequencer.emit(block.seq, { type: 'reasoning-delta', index: 0, delta: delta.thinking }, out);
        }
        return;
      case 'signature_delta':
        if (block.kind === 'reasoning' && typeof delta.signature === 'string' && delta.signature.length > 0) {
          this.reasoningData(block.seq, readOpaqueReasoning(delta.signature, ANTHROPIC, 'signature'), out);
        }
        return;
      case 'input_json_delta': {
        const json = delta.partial_json;
        if (typeof json !== 'string' || json.length === 0) return;
        if (block.kind === 'tool-call') {
          block.sawArguments = true;
          this.sequencer.emit(block.seq, { type: 'tool-call-delta', index: 0, argumentsDelta: json }, out);
        } else if (block.kind === 'opaque') {
          block.json += json;
        }
        return;
      }
    }
  }

  /** A raw signature or redacted data is Claude's; an envelope unwraps as in decodeThinkingBlock. */
  private reasoningData(seq: SequencedBlock, data: ReasoningEnvelope, out: StreamPart[]): void {
    pushReasoningDataParts(0, data, { push: (part) => this.sequencer.emit(seq, part, out) });
  }

  private blockStop(index: unknown, out: StreamPart[]): void {
    const block = typeof index === 'number' ? this.blocks.get(index) : undefined;
    if (!block) return;
    this.blocks.delete(index as number);
    this.endBlock(block, out);
  }

  private endBlock(block: UpstreamBlock, out: StreamPart[]): void {
    switch (block.kind) {
      case 'text': {
        const extensions = block.citations ? toExtensions({ fields: { citations: block.citations } }) : undefined;
        this.sequencer.close(block.seq, withExtensions({ type: 'text-end', index: 0 }, extensions), out);
        return;
      }
      case 'reasoning':
        this.sequencer.close(block.seq, { type: 'reasoning-end', index: 0 }, out);
        return;
      case 'tool-call':
        // A tool without parameters streams no JSON; other dialects need the `{}` the IR promises.
        if (!block.sawArguments) this.sequencer.emit(block.seq, { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' }, out);
        this.sequencer.close(block.seq, { type: 'tool-call-end', index: 0 }, out);
        return;
      case 'opaque':
        if (block.json.length > 0) {
          const input = parseJsonOrUndefined(block.json);
          block.block.input = input === undefined ? { _raw: block.json } : input;
        }
        this.opaque.push(block.block);
    }
  }

  private messageDelta(payload: Record<string, unknown>): void {
    const delta = payload.delta;
    if (isRecord(delta)) {
      if (delta.stop_reason !== undefined) this.stopReason = delta.stop_reason;
      if (delta.stop_sequence !== undefined) this.stopSequence = delta.stop_sequence;
      const fields = extraFields(delta, ['stop_reason', 'stop_sequence']);
      if (fields) this.messageFields = { ...this.messageFields, ...fields };
    }
    mergeAnthropicUsage(this.usage, payload.usage);
  }

  private messageStop(out: StreamPart[]): void {
    this.ensureStarted(out);
    // Blocks the upstream never stopped are closed so the stream stays well formed.
    for (const block of this.blocks.values()) this.endBlock(block, out);
    this.blocks.clear();
    this.terminated = true;
    const finishReason: FinishReason = decodeAnthropicStopReason(this.stopReason, this.stopSequence);
    const blocksAfter = this.opaque.length > 0 ? this.opaque : undefined;
    const finish: StreamPart = { type: 'finish', finishReason, usage: anthropicUsageToCanonical(this.usage) };
    out.push(withExtensions(finish, toExtensions({ blocksAfter, fields: this.messageFields })));
  }
}

function withExtensions<T extends StreamPart & { extensions?: Extensions }>(part: T, extensions: Extensions | undefined): T {
  if (extensions) part.extensions = extensions;
  return part;
}
