import type { AssistantContentPart } from '../../ir/content.ts';
import type { Extensions } from '../../ir/dialect-id.ts';
import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';
import type { GeminiPart } from './wire-types.ts';

/**
 * Assistant content as the parts of a model turn.
 *
 * Reasoning is written only where it is safe: a client gets every thought (with the signature
 * only when Gemini made it: other providers' signatures mean nothing to a Gemini client), an
 * upstream request only Gemini's own thoughts. Gemini needs no earlier thought text to carry on
 * (the signatures on text and function calls hold its state), and a foreign signature sent as
 * `thoughtSignature` would fail validation.
 */
export function encodeGeminiModelParts(content: AssistantContentPart[], target: 'request' | 'response'): GeminiPart[] {
  const parts: GeminiPart[] = [];
  for (const part of content) {
    const extension = part.extensions?.gemini;
    if (part.type === 'text') {
      if (isRecord(extension?.part)) {
        parts.push(extension.part);
        continue;
      }
      const signature = typeof extension?.thoughtSignature === 'string' ? extension.thoughtSignature : undefined;
      if (part.text === '' && signature === undefined) continue;
      parts.push(signature === undefined ? { text: part.text } : { text: part.text, thoughtSignature: signature });
    } else if (part.type === 'reasoning') {
      const native = extension?.thought === true;
      if (target === 'request' && !native) continue;
      const signature = native ? part.signature : undefined;
      // Opaque reasoning of other providers (redacted thinking, encrypted content) has no Gemini form.
      if (part.text === '' && signature === undefined) continue;
      parts.push(signature === undefined ? { text: part.text, thought: true } : { text: part.text, thought: true, thoughtSignature: signature });
    } else {
      parts.push(encodeGeminiFunctionCall(part.name, part.arguments, part.extensions));
    }
  }
  return parts;
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
