import type { AssistantContentPart } from './content.ts';
import type { FinishReason } from './finish-reason.ts';
import type { GatewayError } from './gateway-error.ts';
import type { CanonicalResponse } from './response.ts';
import type { StreamPart } from './stream-part.ts';
import { emptyUsage, mergeUsage } from './usage.ts';

/**
 * Folds canonical stream parts into a complete response, for clients that asked for a plain
 * response from an upstream that only streams (Codex), and for tests.
 */
export class StreamCollector {
  private response: CanonicalResponse = {
    id: '',
    model: '',
    created: Math.floor(Date.now() / 1000),
    content: [],
    finishReason: { unified: 'other' },
    usage: emptyUsage(),
  };
  private open = new Map<number, AssistantContentPart>();
  private finished = false;
  error?: GatewayError;

  push(part: StreamPart): void {
    const response = this.response;
    switch (part.type) {
      case 'response-start':
        response.id = part.id;
        response.model = part.model;
        response.created = part.created;
        if (part.extensions) response.extensions = { ...response.extensions, ...part.extensions };
        return;
      case 'text-start':
        this.begin(part.index, { type: 'text', text: '', ...(part.extensions ? { extensions: part.extensions } : {}) });
        return;
      case 'reasoning-start':
        this.begin(part.index, { type: 'reasoning', text: '', ...(part.extensions ? { extensions: part.extensions } : {}) });
        return;
      case 'tool-call-start':
        this.begin(part.index, {
          type: 'tool-call',
          id: part.id,
          name: part.name,
          arguments: '',
          ...(part.extensions ? { extensions: part.extensions } : {}),
        });
        return;
      case 'text-delta':
      case 'reasoning-delta': {
        const block = this.open.get(part.index);
        if (block && (block.type === 'text' || block.type === 'reasoning')) block.text += part.delta;
        return;
      }
      case 'reasoning-signature': {
        const block = this.open.get(part.index);
        if (block?.type === 'reasoning') {
          block.signature = part.signature;
          if (part.origin !== undefined) block.origin = part.origin;
        }
        return;
      }
      case 'reasoning-redacted': {
        const block = this.open.get(part.index);
        if (block?.type === 'reasoning') {
          block.redactedData = part.data;
          if (part.origin !== undefined) block.origin = part.origin;
        }
        return;
      }
      case 'tool-call-delta': {
        const block = this.open.get(part.index);
        if (block?.type === 'tool-call') block.arguments += part.argumentsDelta;
        return;
      }
      case 'text-end':
      case 'reasoning-end':
      case 'tool-call-end': {
        const block = this.open.get(part.index);
        if (block) {
          if (block.type === 'tool-call' && block.arguments === '') block.arguments = '{}';
          if (part.extensions) block.extensions = { ...block.extensions, ...part.extensions };
        }
        this.open.delete(part.index);
        return;
      }
      case 'usage':
        mergeUsage(response.usage, part.usage);
        return;
      case 'finish':
        this.finish(part.finishReason);
        mergeUsage(response.usage, part.usage);
        if (part.extensions) response.extensions = { ...response.extensions, ...part.extensions };
        return;
      case 'error':
        this.error = part.error;
        return;
    }
  }

  get done(): boolean {
    return this.finished || this.error !== undefined;
  }

  result(): CanonicalResponse {
    for (const block of this.open.values()) {
      if (block.type === 'tool-call' && block.arguments === '') block.arguments = '{}';
    }
    return this.response;
  }

  private begin(index: number, block: AssistantContentPart): void {
    this.open.set(index, block);
    this.response.content.push(block);
  }

  private finish(reason: FinishReason): void {
    this.finished = true;
    this.response.finishReason = reason;
  }
}

export function collectStream(parts: Iterable<StreamPart>): CanonicalResponse {
  const collector = new StreamCollector();
  for (const part of parts) collector.push(part);
  return collector.result();
}

/** The stream parts that would have produced a response; used to stream a non-streamed answer. */
export function responseToStreamParts(response: CanonicalResponse): StreamPart[] {
  const parts: StreamPart[] = [
    { type: 'response-start', id: response.id, model: response.model, created: response.created },
  ];
  response.content.forEach((block, index) => {
    if (block.type === 'text') {
      parts.push({ type: 'text-start', index }, { type: 'text-delta', index, delta: block.text });
      parts.push(block.extensions ? { type: 'text-end', index, extensions: block.extensions } : { type: 'text-end', index });
    } else if (block.type === 'reasoning') {
      parts.push({ type: 'reasoning-start', index });
      if (block.text) parts.push({ type: 'reasoning-delta', index, delta: block.text });
      const origin = block.origin !== undefined ? { origin: block.origin } : undefined;
      if (block.redactedData) parts.push({ type: 'reasoning-redacted', index, data: block.redactedData, ...origin });
      if (block.signature) parts.push({ type: 'reasoning-signature', index, signature: block.signature, ...origin });
      parts.push(block.extensions ? { type: 'reasoning-end', index, extensions: block.extensions } : { type: 'reasoning-end', index });
    } else {
      parts.push({ type: 'tool-call-start', index, id: block.id, name: block.name });
      parts.push({ type: 'tool-call-delta', index, argumentsDelta: block.arguments });
      parts.push(block.extensions ? { type: 'tool-call-end', index, extensions: block.extensions } : { type: 'tool-call-end', index });
    }
  });
  parts.push({ type: 'finish', finishReason: response.finishReason, usage: response.usage });
  return parts;
}
