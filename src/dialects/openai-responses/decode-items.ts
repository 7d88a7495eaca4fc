import type { ReasoningPart, ToolCallPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';
import { applyReasoningEnvelope, unwrapReasoning } from '../shared/reasoning-envelope.ts';
import { responsesExtension } from './extensions.ts';
import type { ResponsesExtension } from './extensions.ts';
import { optionalString, requiredString } from './json-guards.ts';

/**
 * A custom (freeform) tool call carries raw text; in the IR it is a tool call whose arguments are
 * `{"input": "<text>"}`, so other providers can serve it as an ordinary function with one string
 * parameter.
 */
export function customToolArguments(input: string): string {
  return JSON.stringify({ input });
}

/** Inverse of `customToolArguments`; falls back to the raw text when the model produced something else. */
export function customToolInput(argumentsText: string): string {
  const parsed = parseJsonOrUndefined(argumentsText);
  return isRecord(parsed) && typeof parsed.input === 'string' ? parsed.input : argumentsText;
}

export function decodeFunctionCallItem(item: Record<string, unknown>, path: string): ToolCallPart {
  const callId = requiredString(item, 'call_id', path);
  const name = requiredString(item, 'name', path);
  const raw = item.arguments;
  let args: string;
  if (typeof raw === 'string') args = raw === '' ? '{}' : raw;
  else if (raw === undefined || raw === null) args = '{}';
  // Some clients send an object although the API wants JSON text; the text is what the IR keeps.
  else if (isRecord(raw)) args = JSON.stringify(raw);
  else throw invalidRequest(`${path}.arguments: must be a JSON string`);
  const part: ToolCallPart = { type: 'tool-call', id: callId, name, arguments: args };
  const id = optionalString(item, 'id', path);
  if (id !== undefined) part.extensions = responsesExtension({ id });
  return part;
}

export function decodeCustomToolCallItem(item: Record<string, unknown>, path: string): ToolCallPart {
  const data: ResponsesExtension = { custom: true };
  const id = optionalString(item, 'id', path);
  if (id !== undefined) data.id = id;
  return {
    type: 'tool-call',
    id: requiredString(item, 'call_id', path),
    name: requiredString(item, 'name', path),
    arguments: customToolArguments(requiredString(item, 'input', path)),
    extensions: responsesExtension(data),
  };
}

function texts(list: unknown, path: string): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw invalidRequest(`${path}: must be an array`);
  return list.map((entry, i) => {
    if (!isRecord(entry)) throw invalidRequest(`${path}[${i}]: must be an object`);
    return requiredString(entry, 'text', `${path}[${i}]`);
  });
}

/**
 * One reasoning item is one reasoning part. Summary parts are joined with blank lines (the original
 * array is kept when there are several, so re-encoding is exact); raw `content` is used when there is
 * no summary. Real `encrypted_content` becomes `redactedData` of origin `openai-responses`; an
 * envelope (another dialect's reasoning data) is unwrapped back into the fields and origin it came from.
 */
export function decodeReasoningItem(item: Record<string, unknown>, path: string): ReasoningPart {
  const summary = texts(item.summary, `${path}.summary`);
  const data: ResponsesExtension = {};
  let text = summary.join('\n\n');
  if (summary.length > 1) data.summary = item.summary;
  if (summary.length === 0) {
    const content = texts(item.content, `${path}.content`);
    if (content.length > 0) {
      text = content.join('\n\n');
      data.fromContent = true;
    }
  }
  const part: ReasoningPart = { type: 'reasoning', text };
  const id = optionalString(item, 'id', path);
  const encrypted = optionalString(item, 'encrypted_content', path);
  const envelope = encrypted === undefined ? undefined : unwrapReasoning(encrypted);
  if (envelope !== undefined) {
    // Switchyard made this item from another dialect's reasoning: its id is invented, not OpenAI's.
    applyReasoningEnvelope(part, envelope);
  } else {
    if (id !== undefined) data.id = id;
    if (encrypted !== undefined) {
      part.redactedData = encrypted;
      part.origin = 'openai-responses';
    }
  }
  if (Object.keys(data).length > 0) part.extensions = responsesExtension(data);
  return part;
}
