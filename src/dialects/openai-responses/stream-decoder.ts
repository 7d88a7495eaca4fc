import type { SseEvent, StreamDecoder } from '../../ir/codec.ts';
import type { AssistantContentPart, ReasoningPart } from '../../ir/content.ts';
import type { Extensions } from '../../ir/dialect-id.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { isRecord, optionalJsonString, parseJsonOrUndefined, readNumber } from '../shared/json-fields.ts';
import { pushReasoningDataParts } from '../shared/reasoning-envelope.ts';
import { decodeReasoningItem } from './decode-items.ts';
import { decodeOutputItem } from './decode-output-item.ts';
import { responsesExtension } from './extensions.ts';
import type { ResponsesExtension } from './extensions.ts';
import { newResponsesId } from './ids.ts';
import { gatewayErrorFromResponsesFailure } from './map-error.ts';
import { decodeResponsesFinishReason } from './map-finish-reason.ts';
import { decodeResponsesUsage } from './map-usage.ts';
import { wholeItemParts } from './whole-item-parts.ts';

type ItemKind = 'message' | 'reasoning' | 'function_call' | 'custom_tool_call' | 'other';

interface OpenBlock {
  index: number;
  type: 'text' | 'reasoning' | 'tool-call';
  /** The message content part a text block stands for. */
  contentIndex: number;
  sawDelta: boolean;
}

/** One upstream output item on its way into IR blocks. */
interface Track {
  kind: ItemKind;
  itemId?: string;
  block?: OpenBlock;
  blocksEmitted: number;
  summaryIndex: number;
  done: boolean;
}

interface QueuedEvent {
  type: string;
  data: Record<string, unknown>;
}

const CUSTOM_INPUT_PREFIX = '{"input":"';
const CUSTOM_INPUT_SUFFIX = '"}';

/** A fragment of a custom tool's raw input, as a piece of the JSON string in `{"input": "…"}`. */
function escapeInputFragment(fragment: string): string {
  return JSON.stringify(fragment).slice(1, -1);
}

function kindOf(type: unknown): ItemKind {
  return type === 'message' || type === 'reasoning' || type === 'function_call' || type === 'custom_tool_call' ? type : 'other';
}

function kindForEvent(type: string): ItemKind {
  if (type.startsWith('response.reasoning')) return 'reasoning';
  if (type.startsWith('response.function_call')) return 'function_call';
  if (type.startsWith('response.custom_tool_call')) return 'custom_tool_call';
  if (type.startsWith('response.output_text') || type.startsWith('response.refusal') || type.startsWith('response.content_part')) {
    return 'message';
  }
  return 'other';
}

/**
 * Responses SSE → canonical parts. Each output item becomes IR blocks (a message one text block per
 * content part). Items are serialised by `output_index`: events of an item that starts while
 * another is still open wait until that one is done. Data that only `response.output_item.done`
 * carries (Codex sends whole function calls and encrypted reasoning there) fills in what the deltas
 * did not give; a stream whose items never streamed at all is rebuilt from `response.completed`.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private started = false;
  private terminated = false;
  private nextBlock = 0;
  private hasToolCalls = false;
  private activeIndex: number | undefined;
  private readonly tracks = new Map<number, Track>();
  private readonly indexByItemId = new Map<string, number>();
  private readonly queued = new Map<number, QueuedEvent[]>();

  decode(event: SseEvent): StreamPart[] {
    if (this.terminated) return [];
    const data = parseJsonOrUndefined(event.data);
    // Keep-alives and `[DONE]` carry nothing.
    if (!isRecord(data)) return [];
    const type = typeof data.type === 'string' ? data.type : event.event;
    if (type === undefined) return [];
    const out: StreamPart[] = [];
    this.dispatch(type, data, out);
    return out;
  }

  flush(): StreamPart[] {
    if (this.terminated) return [];
    this.terminated = true;
    return [
      {
        type: 'error',
        error: new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream stream ended before completion' }),
      },
    ];
  }

  private dispatch(type: string, data: Record<string, unknown>, out: StreamPart[]): void {
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        this.ensureStarted(data.response, out);
        return;
      case 'response.completed':
      case 'response.incomplete':
        this.complete(type, data.response, out);
        return;
      case 'response.failed':
        this.fail(gatewayErrorFromResponsesFailure(isRecord(data.response) ? data.response.error : undefined), out);
        return;
      case 'error':
        this.fail(gatewayErrorFromResponsesFailure(data), out);
        return;
      default:
        // Only item events matter; others (rate-limit notices, hosted-tool bookkeeping without an
        // item) must not hold up the items that follow.
        if (data.output_index === undefined && data.item_id === undefined && data.item === undefined) return;
        this.ensureStarted(undefined, out);
        this.route(type, data, out);
    }
  }

  private ensureStarted(response: unknown, out: StreamPart[]): void {
    if (this.started) return;
    this.started = true;
    const body = isRecord(response) ? response : {};
    out.push({
      type: 'response-start',
      id: optionalJsonString(body.id) ?? newResponsesId('resp_'),
      model: optionalJsonString(body.model) ?? '',
      created: typeof body.created_at === 'number' ? body.created_at : Math.floor(Date.now() / 1000),
    });
  }

  private outputIndexOf(data: Record<string, unknown>): number {
    if (typeof data.output_index === 'number') return data.output_index;
    const itemId = optionalJsonString(data.item_id) ?? (isRecord(data.item) ? optionalJsonString(data.item.id) : undefined);
    const known = itemId === undefined ? undefined : this.indexByItemId.get(itemId);
    return known ?? this.activeIndex ?? this.tracks.size;
  }

  private route(type: string, data: Record<string, unknown>, out: StreamPart[]): void {
    const index = this.outputIndexOf(data);
    this.activeIndex ??= index;
    if (index !== this.activeIndex) {
      const queue = this.queued.get(index);
      if (queue) queue.push({ type, data });
      else this.queued.set(index, [{ type, data }]);
      return;
    }
    this.apply(index, type, data, out);
    this.releaseIfDone(out);
  }

  private releaseIfDone(out: StreamPart[]): void {
    while (this.activeIndex !== undefined && this.tracks.get(this.activeIndex)?.done) {
      this.activeIndex = undefined;
      const next = this.nextQueuedIndex();
      if (next === undefined) return;
      const events = this.queued.get(next) ?? [];
      this.queued.delete(next);
      this.activeIndex = next;
      for (const event of events) this.apply(next, event.type, event.data, out);
    }
  }

  private nextQueuedIndex(): number | undefined {
    let next: number | undefined;
    for (const index of this.queued.keys()) if (next === undefined || index < next) next = index;
    return next;
  }

  private track(index: number, kind: ItemKind, itemId?: string): Track {
    let track = this.tracks.get(index);
    if (!track) {
      track = { kind, blocksEmitted: 0, summaryIndex: 0, done: false };
      this.tracks.set(index, track);
    }
    if (itemId !== undefined && track.itemId === undefined) {
      track.itemId = itemId;
      this.indexByItemId.set(itemId, index);
    }
    return track;
  }

  private apply(index: number, type: string, data: Record<string, unknown>, out: StreamPart[]): void {
    if (type === 'response.output_item.added' || type === 'response.output_item.done') {
      const item = isRecord(data.item) ? data.item : {};
      const track = this.track(index, kindOf(item.type), optionalJsonString(item.id));
      if (track.done) return;
      if (type === 'response.output_item.added') this.itemAdded(track, item, out);
      else this.itemDone(track, item, out);
      return;
    }
    const track = this.track(index, kindForEvent(type), optionalJsonString(data.item_id));
    if (track.done) return;
    switch (type) {
      case 'response.content_part.added':
        this.openText(track, readNumber(data.content_index) ?? 0, isRecord(data.part) && data.part.type === 'refusal', out);
        return;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        this.textDelta(track, readNumber(data.content_index) ?? 0, type === 'response.refusal.delta', optionalJsonString(data.delta), out);
        return;
      case 'response.output_text.done':
        this.textFill(track, readNumber(data.content_index) ?? 0, false, optionalJsonString(data.text), out);
        return;
      case 'response.refusal.done':
        this.textFill(track, readNumber(data.content_index) ?? 0, true, optionalJsonString(data.refusal), out);
        return;
      case 'response.content_part.done': {
        const part = isRecord(data.part) ? data.part : {};
        const refusal = part.type === 'refusal';
        this.textFill(track, readNumber(data.content_index) ?? 0, refusal, optionalJsonString(part[refusal ? 'refusal' : 'text']), out);
        if (track.block?.type === 'text') this.closeBlock(track, out);
        return;
      }
      case 'response.reasoning_summary_part.added':
        this.reasoningDelta(track, readNumber(data.summary_index) ?? 0, '', out);
        return;
      case 'response.reasoning_summary_text.delta':
        this.reasoningDelta(track, readNumber(data.summary_index) ?? 0, optionalJsonString(data.delta) ?? '', out);
        return;
      case 'response.reasoning_text.delta':
        this.reasoningDelta(track, track.summaryIndex, optionalJsonString(data.delta) ?? '', out);
        return;
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta':
        this.argumentsDelta(track, optionalJsonString(data.delta), out);
        return;
      case 'response.function_call_arguments.done':
      case 'response.custom_tool_call_input.done':
        if (track.block && !track.block.sawDelta) {
          this.argumentsDelta(track, optionalJsonString(type === 'response.function_call_arguments.done' ? data.arguments : data.input), out);
        }
        return;
      default:
      // Hosted-tool progress events (web_search_call.searching, …) carry nothing the IR can hold.
    }
  }

  private startBlock(track: Track, type: OpenBlock['type'], contentIndex: number): OpenBlock {
    const block: OpenBlock = { index: this.nextBlock++, type, contentIndex, sawDelta: false };
    track.block = block;
    track.blocksEmitted++;
    return block;
  }

  private itemExtension(track: Track, extra?: ResponsesExtension): Extensions | undefined {
    const data: ResponsesExtension = { ...extra };
    if (track.itemId !== undefined) data.id = track.itemId;
    return Object.keys(data).length > 0 ? responsesExtension(data) : undefined;
  }

  private itemAdded(track: Track, item: Record<string, unknown>, out: StreamPart[]): void {
    if (track.kind === 'reasoning') this.openReasoning(track, out);
    else if (track.kind === 'function_call' || track.kind === 'custom_tool_call') {
      this.openToolCall(track, item, out);
      const initial = optionalJsonString(item[track.kind === 'function_call' ? 'arguments' : 'input']);
      if (initial) this.argumentsDelta(track, initial, out);
    }
  }

  private openReasoning(track: Track, out: StreamPart[]): void {
    if (track.block) return;
    const block = this.startBlock(track, 'reasoning', 0);
    const extensions = this.itemExtension(track);
    out.push(extensions ? { type: 'reasoning-start', index: block.index, extensions } : { type: 'reasoning-start', index: block.index });
  }

  private openToolCall(track: Track, item: Record<string, unknown>, out: StreamPart[]): void {
    if (track.block) return;
    const custom = track.kind === 'custom_tool_call';
    const block = this.startBlock(track, 'tool-call', 0);
    this.hasToolCalls = true;
    const extensions = this.itemExtension(track, custom ? { custom: true } : undefined);
    const start: StreamPart = {
      type: 'tool-call-start',
      index: block.index,
      id: optionalJsonString(item.call_id) ?? track.itemId ?? newResponsesId('call_'),
      name: optionalJsonString(item.name) ?? '',
    };
    if (extensions) start.extensions = extensions;
    out.push(start);
    if (custom) out.push({ type: 'tool-call-delta', index: block.index, argumentsDelta: CUSTOM_INPUT_PREFIX });
  }

  private openText(track: Track, contentIndex: number, refusal: boolean, out: StreamPart[]): OpenBlock {
    if (track.block?.type === 'text' && track.block.contentIndex === contentIndex) return track.block;
    if (track.block) this.closeBlock(track, out);
    const block = this.startBlock(track, 'text', contentIndex);
    const extensions = this.itemExtension(track, refusal ? { refusal: true } : undefined);
    out.push(extensions ? { type: 'text-start', index: block.index, extensions } : { type: 'text-start', index: block.index });
    return block;
  }

  private textDelta(track: Track, contentIndex: number, refusal: boolean, delta: string | undefined, out: StreamPart[]): void {
    if (!delta) return;
    const block = this.openText(track, contentIndex, refusal, out);
    block.sawDelta = true;
    out.push({ type: 'text-delta', index: block.index, delta });
  }

  /** `*.done` events repeat the whole text; it is only used when no delta came. */
  private textFill(track: Track, contentIndex: number, refusal: boolean, text: string | undefined, out: StreamPart[]): void {
    const block = track.block;
    if (block?.type === 'text' && block.contentIndex === contentIndex && block.sawDelta) return;
    this.textDelta(track, contentIndex, refusal, text, out);
  }

  private reasoningDelta(track: Track, summaryIndex: number, delta: string, out: StreamPart[]): void {
    this.openReasoning(track, out);
    const block = track.block;
    if (block?.type !== 'reasoning') return;
    // Summary parts are joined into one reasoning block, separated by a blank line.
    if (summaryIndex !== track.summaryIndex) {
      track.summaryIndex = summaryIndex;
      if (block.sawDelta) out.push({ type: 'reasoning-delta', index: block.index, delta: '\n\n' });
    }
    if (delta === '') return;
    block.sawDelta = true;
    out.push({ type: 'reasoning-delta', index: block.index, delta });
  }

  private argumentsDelta(track: Track, delta: string | undefined, out: StreamPart[]): void {
    const block = track.block;
    if (!delta || block?.type !== 'tool-call') return;
    block.sawDelta = true;
    const argumentsDelta = track.kind === 'custom_tool_call' ? escapeInputFragment(delta) : delta;
    out.push({ type: 'tool-call-delta', index: block.index, argumentsDelta });
  }

  private itemDone(track: Track, item: Record<string, unknown>, out: StreamPart[]): void {
    switch (track.kind) {
      case 'message':
        if (track.block) this.closeBlock(track, out);
        else if (track.blocksEmitted === 0) this.emitWhole(decodeOutputItem(item), out);
        break;
      case 'reasoning':
        this.finishReasoning(track, item, out);
        break;
      case 'function_call':
      case 'custom_tool_call':
        if (!track.block && track.blocksEmitted === 0) this.openToolCall(track, item, out);
        if (track.block && !track.block.sawDelta) {
          this.argumentsDelta(track, optionalJsonString(item[track.kind === 'function_call' ? 'arguments' : 'input']), out);
        }
        if (track.block) this.closeBlock(track, out);
        break;
      case 'other':
        break;
    }
    track.done = true;
  }

  private finishReasoning(track: Track, item: Record<string, unknown>, out: StreamPart[]): void {
    if (!track.block && track.blocksEmitted > 0) return;
    let part: ReasoningPart;
    try {
      part = decodeReasoningItem(item, 'output');
    } catch {
      part = { type: 'reasoning', text: '' };
    }
    this.openReasoning(track, out);
    const block = track.block;
    if (block?.type !== 'reasoning') return;
    if (!block.sawDelta && part.text !== '') out.push({ type: 'reasoning-delta', index: block.index, delta: part.text });
    pushReasoningDataParts(block.index, part, out);
    track.block = undefined;
    const extensions = part.extensions ?? this.itemExtension(track);
    out.push(extensions ? { type: 'reasoning-end', index: block.index, extensions } : { type: 'reasoning-end', index: block.index });
  }

  private closeBlock(track: Track, out: StreamPart[]): void {
    const block = track.block;
    if (!block) return;
    track.block = undefined;
    if (block.type === 'text') out.push({ type: 'text-end', index: block.index });
    else if (block.type === 'tool-call') {
      if (track.kind === 'custom_tool_call') out.push({ type: 'tool-call-delta', index: block.index, argumentsDelta: CUSTOM_INPUT_SUFFIX });
      out.push({ type: 'tool-call-end', index: block.index });
    } else {
      const extensions = this.itemExtension(track);
      out.push(extensions ? { type: 'reasoning-end', index: block.index, extensions } : { type: 'reasoning-end', index: block.index });
    }
  }

  /** Blocks for complete items that arrived without any streamed events. */
  private emitWhole(content: AssistantContentPart[], out: StreamPart[]): void {
    if (content.some((part) => part.type === 'tool-call')) this.hasToolCalls = true;
    out.push(...wholeItemParts(content, this.nextBlock));
    this.nextBlock += content.length;
  }

  private complete(type: string, response: unknown, out: StreamPart[]): void {
    this.ensureStarted(response, out);
    // Whatever is still open or waiting is closed, one item after the other, before the finish.
    this.closeActive(out);
    for (let next = this.nextQueuedIndex(); next !== undefined; next = this.nextQueuedIndex()) {
      const events = this.queued.get(next) ?? [];
      this.queued.delete(next);
      this.activeIndex = next;
      for (const event of events) this.apply(next, event.type, event.data, out);
      this.closeActive(out);
    }
    const body = isRecord(response) ? response : {};
    if (this.nextBlock === 0 && Array.isArray(body.output)) {
      try {
        this.emitWhole(body.output.flatMap(decodeOutputItem), out);
      } catch {
        // A malformed item in the final summary: the streamed events were all there was.
      }
    }
    const status = body.status ?? (type === 'response.incomplete' ? 'incomplete' : 'completed');
    out.push({
      type: 'finish',
      finishReason: decodeResponsesFinishReason(status, body.incomplete_details, this.hasToolCalls),
      usage: decodeResponsesUsage(body.usage),
    });
    this.terminated = true;
  }

  private closeActive(out: StreamPart[]): void {
    const track = this.activeIndex === undefined ? undefined : this.tracks.get(this.activeIndex);
    if (track?.block) this.closeBlock(track, out);
    this.activeIndex = undefined;
  }

  private fail(error: GatewayError, out: StreamPart[]): void {
    this.terminated = true;
    out.push({ type: 'error', error });
  }
}
