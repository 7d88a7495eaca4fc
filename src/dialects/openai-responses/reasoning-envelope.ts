import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';

/**
 * A Responses client stores a reasoning item's `encrypted_content` opaquely and sends it back on the
 * next turn. When the reasoning came from another provider (an Anthropic signature, a Gemini
 * thoughtSignature, Anthropic redacted thinking), Switchyard wraps that data here so it survives
 * the client's round trip. The prefix can never start a real OpenAI value (those are Fernet tokens,
 * `gAAAAA…`), and wrapped data is never forwarded to an OpenAI upstream.
 */
const PREFIX = 'switchyard.reasoning.v1:';

export interface ForeignReasoning {
  signature?: string;
  redactedData?: string;
}

export function wrapForeignReasoning(reasoning: ForeignReasoning): string {
  const payload: Record<string, string> = {};
  if (reasoning.signature !== undefined) payload.s = reasoning.signature;
  if (reasoning.redactedData !== undefined) payload.r = reasoning.redactedData;
  return PREFIX + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** `undefined` when the value is a real (upstream) encrypted_content. */
export function unwrapForeignReasoning(encrypted: string): ForeignReasoning | undefined {
  if (!encrypted.startsWith(PREFIX)) return undefined;
  const payload = parseJsonOrUndefined(Buffer.from(encrypted.slice(PREFIX.length), 'base64url').toString('utf8'));
  if (!isRecord(payload)) return {};
  const reasoning: ForeignReasoning = {};
  if (typeof payload.s === 'string') reasoning.signature = payload.s;
  if (typeof payload.r === 'string') reasoning.redactedData = payload.r;
  return reasoning;
}
