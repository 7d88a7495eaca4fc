import type { StreamEncoder, StreamEncoderOptions } from '../../ir/codec.ts';
import type { DialectId, Extensions } from '../../ir/dialect-id.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { emptyUsage, mergeUsage } from '../../ir/usage.ts';
import { isRecord } from '../shared/json-fields.ts';
import { encodeGeminiErrorBody } from './encode-error.ts';
import { encodeGeminiFunctionCall, geminiClientSignature, isGeminiReasoning } from './encode-model-parts.ts';
import { encodeGeminiFinalChunk } from './encode-response.ts';
import type { GeminiPart } from './wire-types.ts';

interface OpenReasoning {
  thought: boolean;
  sawText: boolean;
  signature?: string;
  redactedData?: string;
  origin?: DialectId;
}

interface PendingCall {
  name: string;
  arguments: string;
  extensions?: Extensions;
}

/**
 * Canonical parts as streamGenerateContent chunks. With `alt=sse` each chunk is
 * `data: {json}\r\n\r\n` (Google ends SSE lines with CRLF); without it the body is one JSON
 * array written as it grows: `[` + chunk, then `\n,\r\n` + chunk, and `\n]` at the end, each
 * chunk pretty-printed as Google does.
 *
 * Text and thoughts go out as they arrive. A function call goes out whole when its block ends
 * (Gemini has no partial calls); signatures go out at the end of their block, on an empty part.
 * The last chunk carries the finish reason and usage.
 */
export class GeminiStreamEncoder implements StreamEncoder {
  private readonly model: string;
  private readonly jsonArray: boolean;
  private responseId = '';
  private chunks = 0;
  private closed = false;
  private readonly usage = emptyUsage();
  private keptPart: GeminiPart | undefined;
  private reasoning: OpenReasoning | undefined;
  private call: PendingCall | undefined;

  constructor(options: StreamEncoderOptions) {
    this.model = options.model;
    this.jsonArray = options.jsonArray === true;
  }

  encode(part: StreamPart): string {
    if (this.closed) return '';
    switch (part.type) {
      case 'response-start':
        this.responseId = part.id;
        return '';
      case 'text-start': {
        const kept = part.extensions?.gemini?.part;
        this.keptPart = isRecord(kept) ? kept : undefined;
        return '';
      }
      case 'text-delta':
        return this.keptPart !== undefined || part.delta === '' ? '' : this.content({ text: part.delta });
      case 'text-end': {
        const kept = this.keptPart;
        this.keptPart = undefined;
        return kept ? this.content(kept) : '';
      }
      case 'reasoning-start':
        this.reasoning = { thought: part.extensions?.gemini?.thought === true, sawText: false };
        return '';
      case 'reasoning-delta':
        if (part.delta === '') return '';
        if (this.reasoning) this.reasoning.sawText = true;
        return this.content({ text: part.delta, thought: true });
      case 'reasoning-signature':
        if (this.reasoning) {
          this.reasoning.signature = part.signature;
          this.reasoning.origin = part.origin;
        }
        return '';
      case 'reasoning-redacted':
        if (this.reasoning) {
          this.reasoning.redactedData = part.data;
          this.reasoning.origin = part.origin;
        }
        return '';
      case 'reasoning-end': {
        const reasoning = this.reasoning;
        this.reasoning = undefined;
        return reasoning ? this.reasoningEnd(reasoning, part.extensions?.gemini?.thought === true) : '';
      }
      case 'tool-call-start':
        this.call = { name: part.name, arguments: '', extensions: part.extensions };
        return '';
      case 'tool-call-delta':
        if (this.call) this.call.arguments += part.argumentsDelta;
        return '';
      case 'tool-call-end': {
        const call = this.call;
        this.call = undefined;
        if (!call) return '';
        const extensions = part.extensions ? { gemini: { ...call.extensions?.gemini, ...part.extensions.gemini } } : call.extensions;
        return this.content(encodeGeminiFunctionCall(call.name, call.arguments, extensions));
      }
      case 'usage':
        mergeUsage(this.usage, part.usage);
        return '';
      case 'finish':
        mergeUsage(this.usage, part.usage);
        return this.frame(encodeGeminiFinalChunk([], part.finishReason, this.usage, this.model, this.responseId, part.extensions));
      case 'error': {
        const text = this.frame(encodeGeminiErrorBody(part.error));
        this.closed = true;
        return this.jsonArray ? `${text}\n]` : text;
      }
    }
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    if (!this.jsonArray) return '';
    return this.chunks === 0 ? '[]' : '\n]';
  }

  /**
   * A reasoning block's signature goes out at its end, on an empty part, as Gemini streams it: on a
   * thought, or on a text part for the signature-only block of a text part (see encodeGeminiModelParts).
   */
  private reasoningEnd(reasoning: OpenReasoning, thoughtAtEnd: boolean): string {
    const thought = reasoning.thought || thoughtAtEnd;
    const own = isGeminiReasoning(reasoning.origin, thought);
    const signature = own ? reasoning.signature : geminiClientSignature(reasoning);
    if (signature === undefined) return '';
    if (own && !thought && !reasoning.sawText) return this.content({ text: '', thoughtSignature: signature });
    return this.content({ text: '', thought: true, thoughtSignature: signature });
  }

  private content(part: GeminiPart): string {
    return this.frame({
      candidates: [{ content: { parts: [part], role: 'model' }, index: 0 }],
      modelVersion: this.model,
      responseId: this.responseId,
    });
  }

  private frame(chunk: object): string {
    if (!this.jsonArray) return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
    const separator = this.chunks === 0 ? '[' : '\n,\r\n';
    this.chunks++;
    return separator + JSON.stringify(chunk, null, 2);
  }
}
