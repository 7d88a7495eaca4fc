import { invalidRequest } from '../../ir/gateway-error.ts';
import type { ToolChoice, ToolDefinition } from '../../ir/tool.ts';
import { expectRecord, optionalJsonBoolean, optionalJsonString } from '../shared/json-fields.ts';

function decodeFunction(fn: Record<string, unknown>, path: string): ToolDefinition {
  if (typeof fn.name !== 'string' || fn.name === '') throw invalidRequest(`${path}.name: must be a non-empty string`);
  const tool: ToolDefinition = {
    name: fn.name,
    // OpenAI treats a missing schema as "no arguments".
    parameters: fn.parameters === undefined || fn.parameters === null
      ? { type: 'object', properties: {} }
      : expectRecord(fn.parameters, `${path}.parameters`),
  };
  const description = optionalJsonString(fn.description, `${path}.description`);
  if (description !== undefined) tool.description = description;
  const strict = optionalJsonBoolean(fn.strict, `${path}.strict`);
  if (strict !== undefined) tool.strict = strict;
  return tool;
}

/** `tools`, or the legacy `functions` when a client still sends those. */
export function decodeOpenaiChatTools(body: Record<string, unknown>): ToolDefinition[] | undefined {
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) throw invalidRequest('tools: must be an array');
    return body.tools.map((value, index) => {
      const path = `tools[${index}]`;
      const tool = expectRecord(value, path);
      if (tool.type !== 'function') {
        throw invalidRequest(`${path}.type: tool type "${String(tool.type)}" is not supported; only "function"`);
      }
      return decodeFunction(expectRecord(tool.function, `${path}.function`), `${path}.function`);
    });
  }
  if (body.functions !== undefined && body.functions !== null) {
    if (!Array.isArray(body.functions)) throw invalidRequest('functions: must be an array');
    return body.functions.map((value, index) => decodeFunction(expectRecord(value, `functions[${index}]`), `functions[${index}]`));
  }
  return undefined;
}

function decodeChoiceMode(value: string, path: string): ToolChoice {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  throw invalidRequest(`${path}: must be "auto", "none", "required" or a named function`);
}

export function decodeOpenaiChatToolChoice(body: Record<string, unknown>): ToolChoice | undefined {
  const choice = body.tool_choice ?? body.function_call;
  if (choice === undefined || choice === null) return undefined;
  const path = body.tool_choice === undefined || body.tool_choice === null ? 'function_call' : 'tool_choice';
  if (typeof choice === 'string') return decodeChoiceMode(choice, path);
  const object = expectRecord(choice, path);
  if (path === 'function_call') {
    if (typeof object.name !== 'string') throw invalidRequest('function_call.name: must be a string');
    return { type: 'tool', name: object.name };
  }
  if (object.type !== 'function') {
    throw invalidRequest(`tool_choice.type: "${String(object.type)}" is not supported; use "auto", "none", "required" or {"type":"function"}`);
  }
  const fn = expectRecord(object.function, 'tool_choice.function');
  if (typeof fn.name !== 'string') throw invalidRequest('tool_choice.function.name: must be a string');
  return { type: 'tool', name: fn.name };
}
