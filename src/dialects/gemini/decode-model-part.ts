import type { AssistantContentPart, ReasoningPart, TextPart, ToolCallPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { isRecord, optionalJsonString } from '../shared/json-fields.ts';
import { applyReasoningEnvelope, readOpaqueReasoning } from '../shared/reasoning-envelope.ts';
import { field, hasKeys } from './read-fields.ts';

/** Supplies the canonical id of a function call, given its name and the id Gemini gave it (if any). */
export type GeminiCallIdSource = (name: string, geminiId: string | undefined) => string;

const TEXT_KEYS = new Set(['text', 'thought', 'thoughtSignature', 'thought_signature']);

/**
 * One part of a model turn (a request's history or an upstream response) as canonical content,
 * appended to `out`. With `path`, wrong types are a client error; without it (upstream bodies)
 * they are skipped.
 *
 * Signatures: a raw thoughtSignature is Gemini's (origin `gemini`); an envelope, which only a
 * Gemini client sends back, unwraps to another dialect's data. On a function call it stays in
 * `extensions.gemini.thoughtSignature`; on a thought it is the reasoning `signature` (thoughts are
 * marked `extensions.gemini.thought`). The signature Gemini puts on a text part (an answer without
 * function calls) becomes a reasoning part of its own right after the text: no text, no `thought`
 * mark. Every client dialect can carry such a part (an empty thinking block, a reasoning item), and
 * the Gemini encoders put its signature back on the text part before it.
 */
export function decodeGeminiModelPart(
  part: Record<string, unknown>,
  callId: GeminiCallIdSource,
  out: AssistantContentPart[],
  path?: string,
): void {
  const signature = optionalJsonString(field(part, 'thoughtSignature', 'thought_signature'), path && `${path}.thoughtSignature`);
  const call = field(part, 'functionCall', 'function_call');
  if (call !== undefined && call !== null) {
    const decoded = decodeFunctionCall(call, signature, callId, path);
    if (decoded) out.push(decoded);
    return;
  }
  const text = optionalJsonString(part.text, path && `${path}.text`);
  if (text === undefined && hasPayload(part)) {
    out.push(geminiPartCarrier(part));
    return;
  }
  const value = text ?? '';
  if (part.thought === true) {
    if (value === '' && signature === undefined) return;
    const thought: ReasoningPart = { type: 'reasoning', text: value, extensions: { gemini: { thought: true } } };
    if (signature !== undefined) {
      applyReasoningEnvelope(thought, readOpaqueReasoning(signature, 'gemini', 'signature'));
      if (thought.origin !== 'gemini') absorbThoughtText(thought, out);
    }
    out.push(thought);
    return;
  }
  if (value !== '') out.push({ type: 'text', text: value });
  if (signature !== undefined) out.push(applyReasoningEnvelope({ type: 'reasoning', text: '' }, readOpaqueReasoning(signature, 'gemini', 'signature')));
}

/**
 * Another dialect's reasoning reaches a streaming Gemini client as thought chunks, its signature on
 * an empty last thought; the issuer signed the whole text, so the unsigned thoughts just before
 * that signature are joined into it.
 */
function absorbThoughtText(thought: ReasoningPart, out: AssistantContentPart[]): void {
  let last = out.at(-1);
  while (last?.type === 'reasoning' && last.signature === undefined && last.redactedData === undefined) {
    thought.text = last.text + thought.text;
    out.pop();
    last = out.at(-1);
  }
}

function decodeFunctionCall(
  call: unknown,
  signature: string | undefined,
  callId: GeminiCallIdSource,
  path: string | undefined,
): ToolCallPart | undefined {
  if (!isRecord(call) || typeof call.name !== 'string' || call.name === '') {
    if (path !== undefined) throw invalidRequest(`${path}.functionCall.name: must be a non-empty string`);
    return undefined;
  }
  const args = call.args;
  if (args !== undefined && args !== null && !isRecord(args) && path !== undefined) {
    throw invalidRequest(`${path}.functionCall.args: must be an object`);
  }
  const geminiId = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
  const extension: Record<string, unknown> = {};
  if (signature !== undefined) extension.thoughtSignature = signature;
  if (geminiId !== undefined) extension.id = geminiId;
  const decoded: ToolCallPart = {
    type: 'tool-call',
    id: callId(call.name, geminiId),
    name: call.name,
    arguments: isRecord(args) ? JSON.stringify(args) : '{}',
  };
  if (hasKeys(extension)) decoded.extensions = { gemini: extension };
  return decoded;
}

function hasPayload(part: Record<string, unknown>): boolean {
  for (const key in part) if (!TEXT_KEYS.has(key)) return true;
  return false;
}

/**
 * A part the IR has no type for (code execution, generated images, ...): kept whole for a
 * Gemini round trip, shown to other dialects as a short text so nothing vanishes silently.
 */
export function geminiPartCarrier(part: Record<string, unknown>): TextPart {
  return { type: 'text', text: describeGeminiPart(part), extensions: { gemini: { part } } };
}

function describeGeminiPart(part: Record<string, unknown>): string {
  const code = field(part, 'executableCode', 'executable_code');
  if (isRecord(code) && typeof code.code === 'string') {
    const language = typeof code.language === 'string' ? code.language.toLowerCase() : '';
    return `\`\`\`${language === 'language_unspecified' ? '' : language}\n${code.code}\n\`\`\``;
  }
  const result = field(part, 'codeExecutionResult', 'code_execution_result');
  if (isRecord(result) && typeof result.output === 'string') return result.output;
  const inline = field(part, 'inlineData', 'inline_data');
  if (isRecord(inline)) return `[${String(field(inline, 'mimeType', 'mime_type') ?? 'binary')} data]`;
  const file = field(part, 'fileData', 'file_data');
  if (isRecord(file)) return `[file ${String(field(file, 'fileUri', 'file_uri') ?? '')}]`;
  return `[${Object.keys(part).join(', ')}]`;
}
