import type { StreamEncoder, StreamEncoderOptions } from '../../ir/codec.ts';
import type { DialectId, Extensions } from '../../ir/dialect-id.ts';
import type { FinishReason } from '../../ir/finish-reason.ts';
import type { GatewayError } from '../../ir/gateway-error.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import type { Usage } from '../../ir/usage.ts';
import { emptyUsage, mergeUsage } from '../../ir/usage.ts';
import { formatSseEvent } from '../../transport/sse-parser.ts';
import { encodeCompactionContent } from './compaction-summary.ts';
import { customToolInput } from './decode-items.ts';
import { isCompactionTurn } from './encode-response.ts';
import { customToolNames } from './encode-tools.ts';
import { extensionFlag, extensionString, ownExtension, responsesExtension } from './extensions.ts';
import { newResponsesId, responsesIdWithPrefix } from './ids.ts';
import { responsesErrorTypeAndCode } from './map-error.ts';
import { encodeResponsesStatus } from './map-finish-reason.ts';
import { encodeResponsesUsage } from './map-usage.ts';
import {
  compactionItem,
  customToolCallItem,
  functionCallItem,
  messageContentPart,
  messageItem,
  reasoningEncryptedContent,
  reasoningItem,
  reasoningItemId,
  summaryTextPart,
  toolCallItemIdentity,
} from './output-items.ts';
import { buildResponseObject } from './response-object.ts';
import type { ResponseState } from './response-object.ts';

type Item = Record<string, unknown>;

type OpenItem =
  | { kind: 'message'; outputIndex: number; id: string; text: string; refusal: boolean }
  | {
      kind: 'reasoning';
      outputIndex: number;
      id: string;
      text: string;
      summaryOpen: boolean;
      signature?: string;
      redactedData?: string;
      origin?: DialectId;
      extensions?: Extensions;
    }
  | { kind: 'function' | 'custom'; outputIndex: number; id: string; callId: string; name: string; args: string };

/** Codex reads the retry delay of a rate limit from this phrase in the message. */
function failureMessage(error: GatewayError): string {
  if (error.retryAfter === undefined || /try again in/i.test(error.message)) return error.message;
  return `${error.message} Please try again in ${Math.ceil(error.retryAfter)}s.`;
}

function failureCode(error: GatewayError): string {
  // In a stream, a cooldown is a rate limit the client may retry after the delay.
  if (error.code === 'model_cooldown') return 'rate_limit_exceeded';
  return responsesErrorTypeAndCode(error).code ?? 'server_error';
}

/**
 * Canonical parts → Responses SSE: `response.created` and `response.in_progress` first, then for
 * each block its output item's added / delta / done events, then `response.completed` (or
 * `response.incomplete` / `response.failed`) with the whole response. Every output_item.done
 * carries the complete item, because that is what clients (Codex) keep as history.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private readonly options: StreamEncoderOptions;
  private readonly customNames: Set<string>;
  private readonly compaction: boolean;
  private sequence = 0;
  private id: string | undefined;
  private createdAt = Math.floor(Date.now() / 1000);
  private readonly output: Item[] = [];
  private open: OpenItem | undefined;
  private readonly usage: Usage = emptyUsage();
  private summary = '';
  private done = false;

  constructor(options: StreamEncoderOptions) {
    this.options = options;
    this.customNames = customToolNames(options.request);
    this.compaction = isCompactionTurn(options.request);
  }

  encode(part: StreamPart): string {
    if (this.done) return '';
    if (part.type !== 'response-start' && this.id === undefined) return this.start(undefined, undefined) + this.encode(part);
    switch (part.type) {
      case 'response-start':
        return this.id === undefined ? this.start(part.id, part.created) : '';
      case 'text-start':
        return this.compaction ? '' : this.startMessage(part.extensions);
      case 'text-delta':
        if (this.compaction) {
          // The compaction item is one opaque value: the summary can only be sent once complete.
          this.summary += part.delta;
          return '';
        }
        return this.textDelta(part.delta);
      case 'text-end':
        return this.open?.kind === 'message' ? this.closeMessage(this.open) : '';
      // A compaction answer is the summary only; reasoning and tool calls are not part of it.
      case 'reasoning-start':
        return this.compaction ? '' : this.startReasoning(part.extensions);
      case 'reasoning-delta':
        return this.open?.kind === 'reasoning' ? this.reasoningDelta(this.open, part.delta) : '';
      case 'reasoning-signature':
        if (this.open?.kind === 'reasoning') {
          this.open.signature = part.signature;
          this.open.origin = part.origin;
        }
        return '';
      case 'reasoning-redacted':
        if (this.open?.kind === 'reasoning') {
          this.open.redactedData = part.data;
          this.open.origin = part.origin;
        }
        return '';
      case 'reasoning-end':
        return this.open?.kind === 'reasoning' ? this.closeReasoning(this.open, part.extensions) : '';
      case 'tool-call-start':
        return this.compaction ? '' : this.startToolCall(part.id, part.name, part.extensions);
      case 'tool-call-delta':
        return this.toolCallDelta(part.argumentsDelta);
      case 'tool-call-end':
        return this.open?.kind === 'function' || this.open?.kind === 'custom' ? this.closeToolCall(this.open) : '';
      case 'usage':
        mergeUsage(this.usage, part.usage);
        return '';
      case 'finish':
        mergeUsage(this.usage, part.usage);
        return this.finish(part.finishReason);
      case 'error':
        return this.fail(part.error);
    }
  }

  end(): string {
    // Responses streams have no trailer (no `[DONE]`).
    return '';
  }

  /** An error after the stream began (also used stand-alone by `encodeStreamError`). */
  fail(error: GatewayError): string {
    this.done = true;
    const code = failureCode(error);
    const message = failureMessage(error);
    const text = this.event('error', { code, message, param: null });
    return text + this.event('response.failed', {
      response: this.snapshot({ status: 'failed', error: { code, message }, incompleteDetails: null, usage: null }),
    });
  }

  private event(type: string, payload: Record<string, unknown>): string {
    return formatSseEvent(JSON.stringify({ type, sequence_number: this.sequence++, ...payload }), type);
  }

  private snapshot(state: Omit<ResponseState, 'id' | 'createdAt' | 'output'>): Record<string, unknown> {
    this.id ??= newResponsesId('resp_');
    return buildResponseObject({ id: this.id, createdAt: this.createdAt, output: this.output, ...state }, this.options);
  }

  private start(id: string | undefined, created: number | undefined): string {
    this.id = responsesIdWithPrefix(id, 'resp_');
    if (created !== undefined) this.createdAt = created;
    const response = this.snapshot({ status: 'in_progress', error: null, incompleteDetails: null, usage: null });
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private startMessage(extensions: Extensions | undefined): string {
    const refusal = extensionFlag(extensions, 'refusal');
    const open: OpenItem = {
      kind: 'message',
      outputIndex: this.output.length,
      id: responsesIdWithPrefix(extensionString(extensions, 'id'), 'msg_'),
      text: '',
      refusal,
    };
    this.open = open;
    const part = messageContentPart('', refusal);
    return (
      this.event('response.output_item.added', { output_index: open.outputIndex, item: messageItem(open.id, 'in_progress', []) }) +
      this.event('response.content_part.added', { item_id: open.id, output_index: open.outputIndex, content_index: 0, part })
    );
  }

  private textDelta(delta: string): string {
    const open = this.open;
    if (open?.kind !== 'message') return '';
    open.text += delta;
    const where = { item_id: open.id, output_index: open.outputIndex, content_index: 0 };
    return open.refusal
      ? this.event('response.refusal.delta', { ...where, delta })
      : this.event('response.output_text.delta', { ...where, delta, logprobs: [] });
  }

  private closeMessage(open: Extract<OpenItem, { kind: 'message' }>): string {
    this.open = undefined;
    const where = { item_id: open.id, output_index: open.outputIndex, content_index: 0 };
    const part = messageContentPart(open.text, open.refusal);
    const item = messageItem(open.id, 'completed', [part]);
    this.output.push(item);
    const doneText = open.refusal
      ? this.event('response.refusal.done', { ...where, refusal: open.text })
      : this.event('response.output_text.done', { ...where, text: open.text, logprobs: [] });
    return (
      doneText +
      this.event('response.content_part.done', { ...where, part }) +
      this.event('response.output_item.done', { output_index: open.outputIndex, item })
    );
  }

  private startReasoning(extensions: Extensions | undefined): string {
    const open: OpenItem = {
      kind: 'reasoning',
      outputIndex: this.output.length,
      id: reasoningItemId({ extensions }),
      text: '',
      summaryOpen: false,
      extensions,
    };
    this.open = open;
    return this.event('response.output_item.added', { output_index: open.outputIndex, item: reasoningItem(open.id, [], undefined) });
  }

  private reasoningDelta(open: Extract<OpenItem, { kind: 'reasoning' }>, delta: string): string {
    const where = { item_id: open.id, output_index: open.outputIndex, summary_index: 0 };
    let text = '';
    if (!open.summaryOpen) {
      open.summaryOpen = true;
      text = this.event('response.reasoning_summary_part.added', { ...where, part: summaryTextPart('') });
    }
    open.text += delta;
    return text + this.event('response.reasoning_summary_text.delta', { ...where, delta });
  }

  private closeReasoning(open: Extract<OpenItem, { kind: 'reasoning' }>, endExtensions: Extensions | undefined): string {
    this.open = undefined;
    const where = { item_id: open.id, output_index: open.outputIndex, summary_index: 0 };
    let text = '';
    if (open.summaryOpen) {
      text =
        this.event('response.reasoning_summary_text.done', { ...where, text: open.text }) +
        this.event('response.reasoning_summary_part.done', { ...where, part: summaryTextPart(open.text) });
    }
    const own = { ...ownExtension(open.extensions), ...ownExtension(endExtensions) };
    const encrypted = reasoningEncryptedContent({
      signature: open.signature,
      redactedData: open.redactedData,
      origin: open.origin,
      extensions: responsesExtension(own),
    });
    const item = reasoningItem(open.id, open.summaryOpen ? [summaryTextPart(open.text)] : [], encrypted);
    this.output.push(item);
    return text + this.event('response.output_item.done', { output_index: open.outputIndex, item });
  }

  private startToolCall(callId: string, name: string, extensions: Extensions | undefined): string {
    const { custom, id } = toolCallItemIdentity(extensions, name, this.customNames);
    const open: OpenItem = { kind: custom ? 'custom' : 'function', outputIndex: this.output.length, id, callId, name, args: '' };
    this.open = open;
    const item = custom
      ? customToolCallItem(id, 'in_progress', callId, name, '')
      : functionCallItem(id, 'in_progress', callId, name, '');
    return this.event('response.output_item.added', { output_index: open.outputIndex, item });
  }

  private toolCallDelta(delta: string): string {
    const open = this.open;
    if (open?.kind !== 'function' && open?.kind !== 'custom') return '';
    open.args += delta;
    // A custom tool's input is the `input` field of the JSON arguments: it can only be cut out once complete.
    if (open.kind === 'custom') return '';
    return this.event('response.function_call_arguments.delta', { item_id: open.id, output_index: open.outputIndex, delta });
  }

  private closeToolCall(open: Extract<OpenItem, { kind: 'function' | 'custom' }>): string {
    this.open = undefined;
    const where = { item_id: open.id, output_index: open.outputIndex };
    if (open.kind === 'custom') {
      const input = customToolInput(open.args);
      const item = customToolCallItem(open.id, 'completed', open.callId, open.name, input);
      this.output.push(item);
      return (
        (input === '' ? '' : this.event('response.custom_tool_call_input.delta', { ...where, delta: input })) +
        this.event('response.custom_tool_call_input.done', { ...where, input }) +
        this.event('response.output_item.done', { output_index: open.outputIndex, item })
      );
    }
    const args = open.args === '' ? '{}' : open.args;
    const item = functionCallItem(open.id, 'completed', open.callId, open.name, args);
    this.output.push(item);
    return (
      this.event('response.function_call_arguments.done', { ...where, arguments: args }) +
      this.event('response.output_item.done', { output_index: open.outputIndex, item })
    );
  }

  private closeOpen(): string {
    const open = this.open;
    if (open === undefined) return '';
    if (open.kind === 'message') return this.closeMessage(open);
    if (open.kind === 'reasoning') return this.closeReasoning(open, undefined);
    return this.closeToolCall(open);
  }

  private compactionEvents(): string {
    const id = newResponsesId('cmp_');
    const outputIndex = this.output.length;
    const item = compactionItem(id, encodeCompactionContent(this.summary));
    this.output.push(item);
    return (
      this.event('response.output_item.added', { output_index: outputIndex, item: compactionItem(id, '') }) +
      this.event('response.output_item.done', { output_index: outputIndex, item })
    );
  }

  private finish(finishReason: FinishReason): string {
    let text = this.closeOpen();
    if (this.compaction) text += this.compactionEvents();
    this.done = true;
    const encoded = encodeResponsesStatus(finishReason);
    const response = this.snapshot({ ...encoded, usage: encodeResponsesUsage(this.usage) });
    const { status } = encoded;
    const type = status === 'completed' ? 'response.completed' : status === 'incomplete' ? 'response.incomplete' : 'response.failed';
    return text + this.event(type, { response });
  }
}

export function encodeResponsesStreamError(error: GatewayError, options: StreamEncoderOptions): string {
  return new ResponsesStreamEncoder(options).fail(error);
}
