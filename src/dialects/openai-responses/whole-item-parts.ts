import type { AssistantContentPart } from '../../ir/content.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { pushReasoningDataParts } from '../shared/reasoning-envelope.ts';

/** Stream parts for content that arrived complete (an output item nobody streamed), numbered from `firstIndex`. */
export function wholeItemParts(content: AssistantContentPart[], firstIndex: number): StreamPart[] {
  const parts: StreamPart[] = [];
  let index = firstIndex;
  for (const part of content) {
    if (part.type === 'text') {
      parts.push(part.extensions ? { type: 'text-start', index, extensions: part.extensions } : { type: 'text-start', index });
      parts.push({ type: 'text-delta', index, delta: part.text }, { type: 'text-end', index });
    } else if (part.type === 'reasoning') {
      parts.push({ type: 'reasoning-start', index });
      if (part.text !== '') parts.push({ type: 'reasoning-delta', index, delta: part.text });
      pushReasoningDataParts(index, part, parts);
      parts.push(part.extensions ? { type: 'reasoning-end', index, extensions: part.extensions } : { type: 'reasoning-end', index });
    } else {
      const start: StreamPart = { type: 'tool-call-start', index, id: part.id, name: part.name };
      if (part.extensions) start.extensions = part.extensions;
      parts.push(start, { type: 'tool-call-delta', index, argumentsDelta: part.arguments }, { type: 'tool-call-end', index });
    }
    index++;
  }
  return parts;
}
