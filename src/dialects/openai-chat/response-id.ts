import { randomUUID } from 'node:crypto';

/** Keeps an id already in OpenAI style (`chatcmpl-…`, `cmpl-…`), else invents one in that style. */
export function openaiStyleResponseId(id: string, prefix: 'chatcmpl-' | 'cmpl-'): string {
  return id.startsWith(prefix) ? id : `${prefix}${randomUUID().replaceAll('-', '')}`;
}

export function inventOpenaiChatToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}
