import { createHash } from 'node:crypto';
import type { CanonicalRequest } from '../ir/request.ts';
import type { GenerationContext } from './generation-context.ts';

/** Headers in which clients name their session (Claude Code, Codex CLI, generic). */
const SESSION_HEADERS = ['x-claude-code-session-id', 'session-id', 'session_id', 'x-session-id'];

/**
 * The session a request belongs to, for session affinity: the client's own session header, else
 * a digest of the client key and the conversation's first user turn (stable across the turns of
 * one conversation, distinct between conversations).
 */
export function sessionKeyOf(context: GenerationContext, request: CanonicalRequest): string | undefined {
  for (const name of SESSION_HEADERS) {
    const value = context.req.headers[name];
    if (typeof value === 'string' && value) return `h:${value}`;
  }
  const first = request.messages.find((message) => message.role === 'user');
  if (!first) return undefined;
  const hash = createHash('sha256').update(context.clientKey).update('\u0000');
  for (const part of first.content) if (part.type === 'text') hash.update(part.text);
  return `c:${hash.digest('base64url').slice(0, 22)}`;
}
