import type { AssistantContentPart } from '../../ir/content.ts';
import type { DialectId, Extensions } from '../../ir/dialect-id.ts';
import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';
import { wrapReasoning } from '../shared/reasoning-envelope.ts';
import type { GeminiPart } from './wire-types.ts';

/**
 * Assistant content as the parts of a model turn.
 *
 * Reasoning is written only where it is safe. A Gemini client gets every thought, Gemini's own
 * signatures raw and other dialects' signatures and opaque data wrapped in an envelope on the
 * thought's `thoughtSignature` (see shared/reasoning-envelope.ts), so they come back to their
 * upstream. An upstream request gets only Gemini's own thoughts and signatures: Gemini needs no
 * other thought text to carry on, and a foreign `thoughtSignature` would fail validation.
 * A signature-only reasoning part that is no thought holds the signature of the text part before
 * it (see decodeGeminiModelPart) and goes back onto that part.
 */
export function encodeGeminiModelParts(content: AssistantContentPart[], target: 'request' | 'response'): GeminiPart[] {
  const parts: GeminiPart[] = [];
  /** The last part written, when it is plain text that a text signature may still join. */
  let plainText: GeminiPart | undefined;
  for (const part of content) {
    const extension = part.extensions?.gemini;
    if (part.type === 'text') {
      plainText = undefined;
      if (isRecord(extension?.part)) parts.push(extension.part);
      else if (part.text !== '') {
        plainText = { text: part.text };
        parts.push(plainText);
      }
      continue;
    }
    if (part.type === 'tool-call') {
      plainText = undefined;
      parts.push(encodeGeminiFunctionCall(part.name, part.arguments, part.extensions));
      continue;
    }
    const thought = extension?.thought === true;
    const own = isGeminiReasoning(part.origin, thought);
    if (target === 'request' && !own) continue;
    const signature = own ? part.signature : geminiClientSignature(part);
    if (own && !thought && part.text === '' && signature !== undefined) {
      if (plainText) plainText.thoughtSignature = signature;
      else parts.push({ text: '', thoughtSignature: signature });
      plainText = undefined;
      continue;
    }
    plainText = undefined;
    if (part.text === '' && signature === undefined) continue;
    parts.push(signature === undefined ? { text: part.text, thought: true } : { text: part.text, thought: true, thoughtSignature: signature });
  }
  return parts;
}

/**
 * Whether a reasoning part is Gemini's own: its signature was issued by Gemini, or (without any
 * signature origin) it was a Gemini thought.
 */
export function isGeminiReasoning(origin: DialectId | undefined, thought: boolean): boolean {
  return origin === 'gemini' || (origin === undefined && thought);
}

/** Another dialect's reasoning data for a Gemini client: one envelope in `thoughtSignature`. */
export function geminiClientSignature(data: { signature?: string; redactedData?: string; origin?: DialectId }): string | undefined {
  if (data.origin === undefined || (data.signature === undefined && data.redactedData === undefined)) return undefined;
  return wrapReasoning({ origin: data.origin, signature: data.signature, redactedData: data.redactedData });
}

/**
 * A function-call part. `id` is written only when Gemini gave one: some Gemini endpoints reject
 * unknown `id` fields ("Unknown name \"id\" at 'contents[1].parts[0].function_call'").
 */
export function encodeGeminiFunctionCall(name: string, args: string, extensions: Extensions | undefined): GeminiPart {
  const extension = extensions?.gemini;
  const call: Record<string, unknown> = {};
  if (typeof extension?.id === 'string') call.id = extension.id;
  call.name = name;
  call.args = parseArguments(args);
  const part: GeminiPart = { functionCall: call };
  if (typeof extension?.thoughtSignature === 'string') part.thoughtSignature = extension.thoughtSignature;
  return part;
}

/**
 * Gemini's `args` is a JSON object. Arguments that are not one (a call cut off by max tokens in
 * another provider's history) become `{}`: the turn keeps its call, which is what the model needs.
 */
function parseArguments(text: string): Record<string, unknown> {
  if (text === '') return {};
  const value = parseJsonOrUndefined(text);
  return isRecord(value) ? value : {};
}
