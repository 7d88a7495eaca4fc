import type { ToolResultPart, UserContentPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import { isRecord } from '../shared/json-fields.ts';
import { encodeGeminiModelParts } from './encode-model-parts.ts';
import { encodeGeminiMedia } from './media.ts';
import { SKIP_THOUGHT_SIGNATURE, type GeminiContent, type GeminiPart } from './wire-types.ts';

export interface EncodedGeminiContents {
  contents: GeminiContent[];
  /** System messages, hoisted wherever they stood: Gemini has one system instruction. */
  system: GeminiPart[];
}

/**
 * Canonical messages as Gemini `contents`. Tool results go in user turns; consecutive turns of
 * one role are merged, as Gemini expects turns to alternate.
 */
export function encodeGeminiContents(messages: CanonicalMessage[]): EncodedGeminiContents {
  const contents: GeminiContent[] = [];
  const system: GeminiPart[] = [];
  const callNames = new Map<string, string>();
  messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
        for (const part of message.content) if (part.text !== '') system.push({ text: part.text });
        return;
      case 'user':
        append(contents, 'user', encodeUserParts(message.content));
        return;
      case 'assistant':
        for (const part of message.content) if (part.type === 'tool-call') callNames.set(part.id, part.name);
        append(contents, 'model', encodeGeminiModelParts(message.content, 'request'));
        return;
      case 'tool':
        append(contents, 'user', encodeToolResults(message.content, callNames, i));
        return;
    }
  });
  for (const content of contents) if (content.role === 'model') signFirstCall(content.parts);
  return { contents, system };
}

function append(contents: GeminiContent[], role: GeminiContent['role'], parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents.at(-1);
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

/** Gemini 3 rejects a model turn whose first function call has no signature (history from another dialect). */
function signFirstCall(parts: GeminiPart[]): void {
  const call = parts.find((part) => part.functionCall !== undefined);
  if (call && call.thoughtSignature === undefined) call.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
}

function encodeUserParts(content: UserContentPart[]): GeminiPart[] {
  const parts: GeminiPart[] = [];
  for (const part of content) {
    if (part.type !== 'text') {
      parts.push(encodeGeminiMedia(part));
      continue;
    }
    const kept = part.extensions?.gemini?.part;
    if (isRecord(kept)) parts.push(kept);
    else if (part.text !== '') parts.push({ text: part.text });
  }
  return parts;
}

/**
 * Function responses, then the images of results that had them: older models reject
 * `functionResponse.parts`, so those travel as parts of the same turn (unless the client sent
 * them as `functionResponse.parts` itself).
 */
function encodeToolResults(results: ToolResultPart[], callNames: Map<string, string>, messageIndex: number): GeminiPart[] {
  const responses: GeminiPart[] = [];
  const media: GeminiPart[] = [];
  results.forEach((result, j) => {
    const name = result.name ?? callNames.get(result.toolCallId);
    if (name === undefined) {
      throw invalidRequest(
        `messages[${messageIndex}].content[${j}]: tool result "${result.toolCallId}" has no matching tool call, and Gemini needs the tool's name`,
      );
    }
    const extension = result.extensions?.gemini;
    const response: Record<string, unknown> = {};
    if (typeof extension?.id === 'string') response.id = extension.id;
    response.name = name;
    response.response = isRecord(extension?.response) ? extension.response : responseBody(result);
    if (Array.isArray(extension?.parts)) response.parts = extension.parts;
    else for (const part of result.content) if (part.type === 'image') media.push(encodeGeminiMedia(part));
    responses.push({ functionResponse: response });
  });
  return media.length > 0 ? [...responses, ...media] : responses;
}

/** The API's convention for `response`: `output` holds the result, `error` a failure. */
function responseBody(result: ToolResultPart): Record<string, unknown> {
  let text = '';
  for (const part of result.content) {
    if (part.type !== 'text') continue;
    text = text === '' ? part.text : `${text}\n${part.text}`;
  }
  return result.isError ? { error: text } : { output: text };
}
