import { invalidRequest } from '../../ir/gateway-error.ts';
import type { ToolChoice, ToolDefinition } from '../../ir/tool.ts';
import { isRecord } from '../shared/json-fields.ts';
import { responsesExtension } from './extensions.ts';
import { optionalBoolean, optionalRecord, optionalString, requiredString } from './json-guards.ts';

export interface DecodedTools {
  tools: ToolDefinition[];
  /** Hosted tools (web_search, file_search, computer_use, local_shell, mcp, …): OpenAI-only, kept for a same-dialect round trip. */
  builtinTools: Record<string, unknown>[];
}

/** The JSON Schema a custom tool gets when another provider serves it as a function. */
const CUSTOM_TOOL_PARAMETERS = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The raw input for the tool.' } },
  required: ['input'],
  additionalProperties: false,
};

export function decodeResponsesTools(value: unknown): DecodedTools {
  const decoded: DecodedTools = { tools: [], builtinTools: [] };
  if (value === undefined || value === null) return decoded;
  if (!Array.isArray(value)) throw invalidRequest('tools: must be an array');
  value.forEach((tool, i) => {
    const path = `tools[${i}]`;
    if (!isRecord(tool)) throw invalidRequest(`${path}: must be an object`);
    const type = requiredString(tool, 'type', path);
    if (type === 'function') {
      const definition: ToolDefinition = {
        name: requiredString(tool, 'name', path),
        parameters: optionalRecord(tool, 'parameters', path) ?? { type: 'object', properties: {} },
      };
      const description = optionalString(tool, 'description', path);
      if (description !== undefined) definition.description = description;
      const strict = optionalBoolean(tool, 'strict', path);
      if (strict !== undefined) definition.strict = strict;
      decoded.tools.push(definition);
    } else if (type === 'custom') {
      const definition: ToolDefinition = {
        name: requiredString(tool, 'name', path),
        parameters: CUSTOM_TOOL_PARAMETERS,
        extensions: responsesExtension({ custom: tool }),
      };
      const description = optionalString(tool, 'description', path);
      if (description !== undefined) definition.description = description;
      decoded.tools.push(definition);
    } else {
      decoded.builtinTools.push(tool);
    }
  });
  return decoded;
}

export interface DecodedToolChoice {
  toolChoice: ToolChoice;
  /** The original value when the IR cannot say it exactly (allowed_tools, hosted tools). */
  raw?: unknown;
}

export function decodeResponsesToolChoice(value: unknown): DecodedToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return { toolChoice: { type: value } };
  if (typeof value === 'string') throw invalidRequest('tool_choice: must be "auto", "none", "required" or an object');
  if (!isRecord(value)) throw invalidRequest('tool_choice: must be a string or an object');
  const type = requiredString(value, 'type', 'tool_choice');
  if (type === 'function' || type === 'custom') {
    return { toolChoice: { type: 'tool', name: requiredString(value, 'name', 'tool_choice') } };
  }
  if (type === 'allowed_tools') {
    const mode = value.mode === 'required' ? 'required' : 'auto';
    return { toolChoice: { type: mode }, raw: value };
  }
  // A hosted tool (web_search_preview, file_search, mcp, …): other providers can only be left to choose.
  return { toolChoice: { type: 'auto' }, raw: value };
}
