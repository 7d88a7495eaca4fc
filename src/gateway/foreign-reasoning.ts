import type { DialectId } from '../ir/dialect-id.ts';
import type { CanonicalRequest } from '../ir/request.ts';

/**
 * Whether the history carries reasoning another dialect's upstream issued (unwrapped from a
 * Switchyard envelope by the client codec). Such a body must not pass through as is: the upstream
 * would reject the envelope, while encoding through the codec drops what it cannot verify.
 */
export function carriesForeignReasoning(request: CanonicalRequest, dialect: DialectId): boolean {
  for (const message of request.messages) {
    if (message.role !== 'assistant') continue;
    for (const part of message.content) {
      if (part.type === 'reasoning' && part.origin !== undefined && part.origin !== dialect) return true;
    }
  }
  return false;
}
