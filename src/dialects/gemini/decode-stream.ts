import type { SseEvent, StreamDecoder } from '../../ir/codec.ts';
import type { AssistantContentPart } from '../../ir/content.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { emptyUsage, mergeUsage } from '../../ir/usage.ts';
import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';
import { pushReasoningDataParts } from '../shared/reasoning-envelope.ts';
import { decodeGeminiModelPart } from './decode-model-part.ts';
import { firstGeminiCandidate, geminiFinishReason, geminiResponseExtension, upstreamCallId } from './decode-response.ts';
import { geminiStreamErrorToGatewayError } from './decode-error.ts';
import { newGeminiResponseId } from './ids.ts';
import { decodeGeminiUsage } from './map-usage.ts';

interface OpenBlock {
  kind: 'text' | 'reasoning';
  index: number;
  signed: boolean;
}

/**
 * streamGenerateContent?alt=sse: every event is a whole GenerateContentResponse holding the new
 * parts. Consecutive text (or thought) parts are one block; a function call arrives whole, so it
 * is a complete start/delta/end at once. The chunk with a finishReason ends the stream; usage
 * comes on many chunks, and the last report wins.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private hasToolCalls = false;
  private readonly usage = emptyUsage();
  private extension: Record<string, unknown> | undefined;

  decode(event: SseEvent): StreamPart[] {
    if (this.done || event.data === '') return [];
    const chunk = parseJsonOrUndefined(event.data);
    if (chunk === undefined) {
      return this.fail(new GatewayError({ status: 502, code: 'upstream_error', message: 'Gemini stream sent an event that is not JSON' }));
    }
    if (!isRecord(chunk)) return [];
    const out: StreamPart[] = [];
    this.start(chunk, out);
    if (isRecord(chunk.error)) {
      out.push({ type: 'error', error: geminiStreamErrorToGatewayError(chunk.error) });
      this.done = true;
      return out;
    }
    if (chunk.usageMetadata !== undefined) {
      const usage = decodeGeminiUsage(chunk.usageMetadata);
      mergeUsage(this.usage, usage);
      out.push({ type: 'usage', usage });
    }
    const candidate = firstGeminiCandidate(chunk);
    const parts = isRecord(candidate?.content) ? candidate.content.parts : undefined;
    if (Array.isArray(parts)) for (const part of parts) if (isRecord(part)) this.part(part, out);
    const extension = geminiResponseExtension(chunk, candidate);
    if (extension) this.extension = { ...this.extension, ...extension };
    const finishReason = geminiFinishReason(chunk, candidate, this.hasToolCalls);
    if (finishReason) {
      this.close(out);
      const finish: StreamPart = { type: 'finish', finishReason, usage: { ...this.usage } };
      if (this.extension) finish.extensions = { gemini: this.extension };
      out.push(finish);
      this.done = true;
    }
    return out;
  }

  flush(): StreamPart[] {
    if (this.done) return [];
    return this.fail(new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream stream ended before completion' }));
  }

  private fail(error: GatewayError): StreamPart[] {
    const out: StreamPart[] = [];
    this.start({}, out);
    out.push({ type: 'error', error });
    this.done = true;
    return out;
  }

  private start(chunk: Record<string, unknown>, out: StreamPart[]): void {
    if (this.started) return;
    this.started = true;
    out.push({
      type: 'response-start',
      id: typeof chunk.responseId === 'string' ? chunk.responseId : newGeminiResponseId(),
      model: typeof chunk.modelVersion === 'string' ? chunk.modelVersion : '',
      created: Math.floor(Date.now() / 1000),
    });
  }

  private part(part: Record<string, unknown>, out: StreamPart[]): void {
    const decoded: AssistantContentPart[] = [];
    decodeGeminiModelPart(part, upstreamCallId, decoded);
    for (const block of decoded) this.block(block, out);
  }

  private block(decoded: AssistantContentPart, out: StreamPart[]): void {
    if (decoded.type === 'tool-call') {
      this.close(out);
      const index = this.nextIndex++;
      this.hasToolCalls = true;
      out.push({ type: 'tool-call-start', index, id: decoded.id, name: decoded.name });
      out.push({ type: 'tool-call-delta', index, argumentsDelta: decoded.arguments });
      out.push(decoded.extensions ? { type: 'tool-call-end', index, extensions: decoded.extensions } : { type: 'tool-call-end', index });
    } else if (decoded.type === 'reasoning' && decoded.extensions?.gemini?.thought !== true) {
      // The signature of a text part: a signature-only block of its own (see decodeGeminiModelPart).
      this.close(out);
      const index = this.nextIndex++;
      out.push({ type: 'reasoning-start', index });
      pushReasoningDataParts(index, decoded, out);
      out.push({ type: 'reasoning-end', index });
    } else if (decoded.type === 'reasoning') {
      // A second signature starts a new block, as it belongs to a new part.
      if (this.open?.signed && decoded.signature !== undefined) this.close(out);
      const open = this.append('reasoning', decoded.text, out);
      if (decoded.signature !== undefined) {
        open.signed = true;
        pushReasoningDataParts(open.index, decoded, out);
      }
    } else if (decoded.extensions?.gemini?.part !== undefined) {
      // A part kept whole (code execution, an image): a block of its own.
      this.close(out);
      const index = this.nextIndex++;
      out.push({ type: 'text-start', index, extensions: decoded.extensions });
      out.push({ type: 'text-delta', index, delta: decoded.text });
      out.push({ type: 'text-end', index });
    } else {
      this.append('text', decoded.text, out);
    }
  }

  /** Text continues the open block of its kind. */
  private append(kind: OpenBlock['kind'], text: string, out: StreamPart[]): OpenBlock {
    let open = this.open;
    if (open && open.kind !== kind) {
      this.close(out);
      open = undefined;
    }
    if (!open) {
      open = { kind, index: this.nextIndex++, signed: false };
      this.open = open;
      out.push(
        kind === 'text'
          ? { type: 'text-start', index: open.index }
          : { type: 'reasoning-start', index: open.index, extensions: { gemini: { thought: true } } },
      );
    }
    if (text !== '') {
      out.push(kind === 'text' ? { type: 'text-delta', index: open.index, delta: text } : { type: 'reasoning-delta', index: open.index, delta: text });
    }
    return open;
  }

  private close(out: StreamPart[]): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    out.push(open.kind === 'reasoning' ? { type: 'reasoning-end', index: open.index } : { type: 'text-end', index: open.index });
  }
}
