import type { ReasoningPart } from '../../ir/content.ts';
import type { DialectId } from '../../ir/dialect-id.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { isRecord, parseJsonOrUndefined } from './json-fields.ts';

/**
 * Clients keep some reasoning data opaquely and send it back on the next turn: Anthropic a thinking
 * block's `signature` and a redacted_thinking block's `data`, Gemini a part's `thoughtSignature`,
 * Responses a reasoning item's `encrypted_content`. A client is given its own dialect's data raw;
 * data another dialect's upstream issued is wrapped here with its origin, so that when it comes back
 * it is told apart from the client dialect's own and reaches only the upstream that issued it.
 * (Chat Completions has no such field: other dialects' reasoning data is dropped there.)
 *
 * The prefix can never start a real value: Anthropic signatures and Gemini thoughtSignatures are
 * base64, OpenAI encrypted_content is a Fernet token (`gAAAAA…`); none holds `.` or `:`.
 * The payload is base64url JSON `{o?: origin, s?: signature, r?: redactedData}` (envelopes written
 * before `o` existed have none).
 */
const PREFIX = 'switchyard.reasoning.v1:';

const DIALECTS: ReadonlySet<string> = new Set<DialectId>(['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini']);

/** Reasoning data with the dialect that issued it. */
export interface ReasoningEnvelope {
  origin?: DialectId;
  signature?: string;
  redactedData?: string;
}

export function wrapReasoning(envelope: ReasoningEnvelope): string {
  const payload: Record<string, string> = {};
  if (envelope.origin !== undefined) payload.o = envelope.origin;
  if (envelope.signature !== undefined) payload.s = envelope.signature;
  if (envelope.redactedData !== undefined) payload.r = envelope.redactedData;
  return PREFIX + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** `undefined` when the value is no envelope (a raw value); a damaged envelope unwraps to nothing. */
export function unwrapReasoning(value: string): ReasoningEnvelope | undefined {
  if (!value.startsWith(PREFIX)) return undefined;
  const payload = parseJsonOrUndefined(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'));
  const envelope: ReasoningEnvelope = {};
  if (!isRecord(payload)) return envelope;
  if (typeof payload.o === 'string' && DIALECTS.has(payload.o)) envelope.origin = payload.o as DialectId;
  if (typeof payload.s === 'string') envelope.signature = payload.s;
  if (typeof payload.r === 'string') envelope.redactedData = payload.r;
  return envelope;
}

/**
 * An opaque value a client sent back: an envelope gives back what it wrapped, a raw value is `own`
 * dialect's `field`.
 */
export function readOpaqueReasoning(value: string, own: DialectId, field: 'signature' | 'redactedData'): ReasoningEnvelope {
  return unwrapReasoning(value) ?? { origin: own, [field]: value };
}

/** Copies an envelope's data into a reasoning part (the part's origin is the envelope's). */
export function applyReasoningEnvelope(part: ReasoningPart, envelope: ReasoningEnvelope): ReasoningPart {
  if (envelope.signature !== undefined) part.signature = envelope.signature;
  if (envelope.redactedData !== undefined) part.redactedData = envelope.redactedData;
  if (envelope.origin !== undefined) part.origin = envelope.origin;
  return part;
}

type ReasoningDataPart = Extract<StreamPart, { type: 'reasoning-signature' | 'reasoning-redacted' }>;

/** The stream parts of a reasoning block's data: redacted data, then the signature, each with the origin. */
export function pushReasoningDataParts(index: number, data: ReasoningEnvelope, out: { push(part: ReasoningDataPart): unknown }): void {
  const origin = data.origin !== undefined ? { origin: data.origin } : undefined;
  if (data.redactedData !== undefined) out.push({ type: 'reasoning-redacted', index, data: data.redactedData, ...origin });
  if (data.signature !== undefined) out.push({ type: 'reasoning-signature', index, signature: data.signature, ...origin });
}
