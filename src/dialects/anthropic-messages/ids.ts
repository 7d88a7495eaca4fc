import { randomUUID } from 'node:crypto';

export function newAnthropicMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/** Ids from other upstreams (chatcmpl-…, resp_…) are replaced: Claude clients expect `msg_…`. */
export function anthropicMessageId(id: string): string {
  return id.startsWith('msg_') ? id : newAnthropicMessageId();
}
