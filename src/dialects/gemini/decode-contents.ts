import type { AssistantContentPart, ImagePart, TextPart, ToolResultPart, UserContentPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import { isRecord, optionalJsonString } from '../shared/json-fields.ts';
import { decodeGeminiModelPart, geminiPartCarrier } from './decode-model-part.ts';
import { decodeGeminiMedia } from './media.ts';
import { field } from './read-fields.ts';
import { GeminiToolCallPairing } from './tool-call-pairing.ts';

/**
 * A request's `contents` as canonical messages, in order. A user turn mixing function responses
 * and other parts becomes tool and user messages in the order the parts came.
 */
export function decodeGeminiContents(contents: unknown): CanonicalMessage[] {
  if (!Array.isArray(contents) || contents.length === 0) throw invalidRequest('contents: must be a non-empty array');
  const pairing = new GeminiToolCallPairing();
  const messages: CanonicalMessage[] = [];
  contents.forEach((content, i) => {
    const path = `contents[${i}]`;
    if (!isRecord(content)) throw invalidRequest(`${path}: must be an object`);
    const role = content.role ?? 'user';
    const parts = content.parts ?? [];
    if (!Array.isArray(parts)) throw invalidRequest(`${path}.parts: must be an array`);
    if (role === 'model') decodeModelTurn(parts, path, pairing, messages);
    // `function` is the legacy role of function-response turns.
    else if (role === 'user' || role === 'function') decodeUserTurn(parts, path, pairing, messages);
    else throw invalidRequest(`${path}.role: must be "user" or "model"`);
  });
  return messages;
}

/** `systemInstruction` (a Content; some clients send a bare string) as a system message. */
export function decodeGeminiSystemInstruction(value: unknown): CanonicalMessage | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : { role: 'system', content: [{ type: 'text', text: value }] };
  if (!isRecord(value) || !Array.isArray(value.parts)) throw invalidRequest('systemInstruction.parts: must be an array');
  const content: TextPart[] = [];
  value.parts.forEach((part, i) => {
    const path = `systemInstruction.parts[${i}]`;
    if (!isRecord(part)) throw invalidRequest(`${path}: must be an object`);
    const text = optionalJsonString(part.text, `${path}.text`);
    if (text === undefined) throw invalidRequest(`${path}: system instructions hold text parts only`);
    if (text !== '') content.push({ type: 'text', text });
  });
  return content.length > 0 ? { role: 'system', content } : undefined;
}

function decodeModelTurn(parts: unknown[], path: string, pairing: GeminiToolCallPairing, messages: CanonicalMessage[]): void {
  const content: AssistantContentPart[] = [];
  const callId = (name: string, geminiId: string | undefined) => pairing.callId(name, geminiId);
  parts.forEach((part, j) => {
    const partPath = `${path}.parts[${j}]`;
    if (!isRecord(part)) throw invalidRequest(`${partPath}: must be an object`);
    decodeGeminiModelPart(part, callId, content, partPath);
  });
  if (content.length > 0) messages.push({ role: 'assistant', content });
}

function decodeUserTurn(parts: unknown[], path: string, pairing: GeminiToolCallPairing, messages: CanonicalMessage[]): void {
  let user: UserContentPart[] | undefined;
  let tool: ToolResultPart[] | undefined;
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j];
    const partPath = `${path}.parts[${j}]`;
    if (!isRecord(part)) throw invalidRequest(`${partPath}: must be an object`);
    const response = field(part, 'functionResponse', 'function_response');
    if (response !== undefined && response !== null) {
      if (user) messages.push({ role: 'user', content: user });
      user = undefined;
      (tool ??= []).push(decodeFunctionResponse(response, `${partPath}.functionResponse`, pairing));
      continue;
    }
    const decoded = decodeUserPart(part, partPath);
    if (!decoded) continue;
    if (tool) messages.push({ role: 'tool', content: tool });
    tool = undefined;
    (user ??= []).push(decoded);
  }
  if (user) messages.push({ role: 'user', content: user });
  if (tool) messages.push({ role: 'tool', content: tool });
}

function decodeUserPart(part: Record<string, unknown>, path: string): UserContentPart | undefined {
  const text = optionalJsonString(part.text, `${path}.text`);
  if (text !== undefined) return text === '' ? undefined : { type: 'text', text };
  return decodeGeminiMedia(part, path) ?? geminiPartCarrier(part);
}

/**
 * A function response as a tool result. Gemini's `response` is any JSON object; by the API's
 * convention `{output}` holds the result and `{error}` a failure, which map onto the result's
 * text and `isError`. The raw response stays in the extensions for a Gemini round trip.
 */
function decodeFunctionResponse(value: unknown, path: string, pairing: GeminiToolCallPairing): ToolResultPart {
  if (!isRecord(value)) throw invalidRequest(`${path}: must be an object`);
  const name = optionalJsonString(value.name, `${path}.name`);
  if (name === undefined || name === '') throw invalidRequest(`${path}.name: is required`);
  const geminiId = typeof value.id === 'string' && value.id !== '' ? value.id : undefined;
  const { text, isError } = describeResponse(value.response);
  const content: Array<TextPart | ImagePart> = text === '' ? [] : [{ type: 'text', text }];
  const extension: Record<string, unknown> = { response: value.response };
  if (geminiId !== undefined) extension.id = geminiId;
  if (value.parts !== undefined) {
    if (!Array.isArray(value.parts)) throw invalidRequest(`${path}.parts: must be an array`);
    extension.parts = value.parts;
    value.parts.forEach((part, k) => {
      if (!isRecord(part)) throw invalidRequest(`${path}.parts[${k}]: must be an object`);
      // Tool results hold text and images only; other media stay in the raw parts for Gemini.
      const media = decodeGeminiMedia(part, `${path}.parts[${k}]`);
      if (media?.type === 'image') content.push(media);
    });
  }
  const result: ToolResultPart = {
    type: 'tool-result',
    toolCallId: pairing.resultId(name, geminiId),
    name,
    content,
    extensions: { gemini: extension },
  };
  if (isError) result.isError = true;
  return result;
}

function describeResponse(response: unknown): { text: string; isError: boolean } {
  if (response === undefined || response === null) return { text: '', isError: false };
  if (typeof response === 'string') return { text: response, isError: false };
  if (isRecord(response)) {
    const keys = Object.keys(response);
    if (keys.length === 1) {
      const only = response[keys[0]];
      const isError = keys[0] === 'error';
      if (typeof only === 'string') return { text: only, isError };
      if (isError) return { text: JSON.stringify(only), isError };
    }
  }
  return { text: JSON.stringify(response), isError: false };
}
