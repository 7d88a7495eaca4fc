import type { SseEvent, StreamDecoder } from '../../ir/codec.ts';
import type { FinishReason } from '../../ir/finish-reason.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { emptyUsage, mergeUsage } from '../../ir/usage.ts';
import { isRecord, numberOrZero, optionalJsonString, parseJsonOrUndefined } from '../shared/json-fields.ts';
import { openaiChatUpstreamError } from './decode-error.ts';
import { openaiChatArgumentsText } from './decode-response.ts';
import { decodeOpenaiChatFinishReason } from './map-finish-reason.ts';
import { decodeOpenaiChatUsage } from './map-usage.ts';
import { inventOpenaiChatToolCallId } from './response-id.ts';

type BlockKind = 'text' | 'refusal' | 'reasoning' | 'tool';

/** An upstream tool call, by its `index` in `delta.tool_calls`. */
interface UpstreamCall {
  id: string;
  name: string;
  /** Arguments held back while another call's block is open. */
  held: string;
  state: 'held' | 'open' | 'closed';
  /** Canonical block index, once opened. */
  blockIndex: number;
}

/**
 * `chat.completion.chunk` SSE → canonical parts. The first tool call streams live; calls that
 * start while it is open (parallel calls, interleaved by some servers) are held and emitted whole
 * once the open blocks end, so canonical blocks stay sequential.
 */
export class OpenaiChatStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private nextIndex = 0;
  private open: { kind: BlockKind; index: number; call?: UpstreamCall } | undefined;
  private readonly calls = new Map<number, UpstreamCall>();
  private lastCallIndex = 0;
  private finishReason: FinishReason | undefined;
  private readonly usage = emptyUsage();
  private failure: GatewayError | undefined;

  decode(event: SseEvent): StreamPart[] {
    if (this.done) return [];
    if (event.data === '[DONE]') return this.complete();
    const chunk = parseJsonOrUndefined(event.data);
    if (chunk === undefined) {
      return this.fail(new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream sent invalid JSON in its stream' }));
    }
    if (!isRecord(chunk)) return [];
    if (chunk.error !== undefined && chunk.error !== null) return this.fail(openaiChatUpstreamError(chunk));
    const parts: StreamPart[] = [];
    if (!this.started) {
      this.started = true;
      parts.push({
        type: 'response-start',
        id: optionalJsonString(chunk.id) ?? '',
        model: optionalJsonString(chunk.model) ?? '',
        created: numberOrZero(chunk.created) || Math.floor(Date.now() / 1000),
      });
    }
    // Usage comes in a final `choices: []` chunk, or (compatible servers) on the finish chunk.
    const usage = decodeOpenaiChatUsage(chunk.usage);
    if (usage) mergeUsage(this.usage, usage);
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (isRecord(choice) && this.finishReason === undefined) {
      if (isRecord(choice.delta)) this.decodeDelta(choice.delta, parts);
      if (this.failure) return [...parts, ...this.fail(this.failure)];
      const finish = optionalJsonString(choice.finish_reason);
      if (finish) {
        this.closeAll(parts);
        this.finishReason = decodeOpenaiChatFinishReason(finish);
      }
    }
    return parts;
  }

  /** A stream without `[DONE]` is complete when a finish_reason came; otherwise it was cut. */
  flush(): StreamPart[] {
    if (this.done) return [];
    if (this.finishReason) return this.complete();
    return this.fail(new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream stream ended before completion' }));
  }

  private complete(): StreamPart[] {
    if (!this.started) {
      return this.fail(new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream stream ended before completion' }));
    }
    const parts: StreamPart[] = [];
    this.closeAll(parts);
    this.done = true;
    const sawToolCall = this.calls.size > 0;
    // `[DONE]` without a finish_reason (a few servers) still marks a complete answer.
    const finishReason = this.finishReason ?? { unified: sawToolCall ? 'tool-calls' : 'stop' };
    parts.push({ type: 'finish', finishReason, usage: this.usage });
    return parts;
  }

  private fail(error: GatewayError): StreamPart[] {
    this.done = true;
    return [{ type: 'error', error }];
  }

  private decodeDelta(delta: Record<string, unknown>, parts: StreamPart[]): void {
    // DeepSeek/vLLM say `reasoning_content`, OpenRouter `reasoning`; servers sending both repeat the text.
    const reasoning = optionalJsonString(delta.reasoning_content) || optionalJsonString(delta.reasoning);
    if (reasoning) {
      const index = this.openBlock('reasoning', parts);
      parts.push({ type: 'reasoning-delta', index, delta: reasoning });
    }
    const content = optionalJsonString(delta.content);
    if (content) {
      const index = this.openBlock('text', parts);
      parts.push({ type: 'text-delta', index, delta: content });
    }
    const refusal = optionalJsonString(delta.refusal);
    if (refusal) {
      const index = this.openBlock('refusal', parts);
      parts.push({ type: 'text-delta', index, delta: refusal });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const entry of delta.tool_calls) {
        if (isRecord(entry)) this.decodeToolCall(entry, parts);
      }
    }
    if (isRecord(delta.function_call)) this.decodeToolCall({ index: 0, function: delta.function_call }, parts);
  }

  private decodeToolCall(entry: Record<string, unknown>, parts: StreamPart[]): void {
    const fn = isRecord(entry.function) ? entry.function : {};
    const id = optionalJsonString(entry.id);
    const name = optionalJsonString(fn.name);
    const upstreamIndex = this.upstreamCallIndex(entry, id);
    this.lastCallIndex = upstreamIndex;
    let call = this.calls.get(upstreamIndex);
    if (!call) {
      call = { id: id ?? '', name: name ?? '', held: '', state: 'held', blockIndex: -1 };
      this.calls.set(upstreamIndex, call);
    } else {
      if (!call.id && id) call.id = id;
      if (!call.name && name) call.name = name;
    }
    const args = fn.arguments === undefined || fn.arguments === null ? '' : typeof fn.arguments === 'string' ? fn.arguments : openaiChatArgumentsText(fn.arguments);
    if (call.state === 'open') {
      if (args) parts.push({ type: 'tool-call-delta', index: call.blockIndex, argumentsDelta: args });
      return;
    }
    if (call.state === 'closed') {
      if (args) this.failure = new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream sent tool call arguments after the call ended' });
      return;
    }
    call.held += args;
    if (call.name && this.open?.kind !== 'tool' && this.firstHeld() === call) this.openCall(call, parts);
  }

  /** Servers that omit `index` (some Gemini/Ollama proxies) give each call its own id instead. */
  private upstreamCallIndex(entry: Record<string, unknown>, id: string | undefined): number {
    if (typeof entry.index === 'number') return entry.index;
    if (id !== undefined && this.calls.size > 0 && this.calls.get(this.lastCallIndex)?.id !== id) {
      return Math.max(...this.calls.keys()) + 1;
    }
    return this.lastCallIndex;
  }

  private firstHeld(): UpstreamCall | undefined {
    for (const call of this.calls.values()) if (call.state === 'held') return call;
    return undefined;
  }

  private openCall(call: UpstreamCall, parts: StreamPart[]): void {
    this.closeOpen(parts);
    const index = this.nextIndex++;
    parts.push({ type: 'tool-call-start', index, id: call.id || inventOpenaiChatToolCallId(), name: call.name });
    if (call.held) parts.push({ type: 'tool-call-delta', index, argumentsDelta: call.held });
    call.held = '';
    call.state = 'open';
    call.blockIndex = index;
    this.open = { kind: 'tool', index, call };
  }

  private openBlock(kind: 'text' | 'refusal' | 'reasoning', parts: StreamPart[]): number {
    if (this.open?.kind === kind) return this.open.index;
    this.closeOpen(parts);
    const index = this.nextIndex++;
    if (kind === 'reasoning') parts.push({ type: 'reasoning-start', index });
    else if (kind === 'text') parts.push({ type: 'text-start', index });
    else parts.push({ type: 'text-start', index, extensions: { 'openai-chat': { refusal: true } } });
    this.open = { kind, index };
    return index;
  }

  private closeOpen(parts: StreamPart[]): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    if (open.kind === 'reasoning') parts.push({ type: 'reasoning-end', index: open.index });
    else if (open.kind === 'tool') {
      parts.push({ type: 'tool-call-end', index: open.index });
      if (open.call) open.call.state = 'closed';
    } else parts.push({ type: 'text-end', index: open.index });
  }

  /** Ends the open block, then emits every held call whole, in the order the calls began. */
  private closeAll(parts: StreamPart[]): void {
    this.closeOpen(parts);
    for (const call of this.calls.values()) {
      if (call.state !== 'held') continue;
      this.openCall(call, parts);
      this.closeOpen(parts);
    }
  }
}

export function createOpenaiChatStreamDecoder(): OpenaiChatStreamDecoder {
  return new OpenaiChatStreamDecoder();
}
