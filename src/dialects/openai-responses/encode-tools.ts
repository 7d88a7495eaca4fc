import type { ResponseFormat } from '../../ir/request.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { JsonSchema, ToolDefinition } from '../../ir/tool.ts';
import { isRecord } from '../shared/json-fields.ts';
import { ownExtension } from './extensions.ts';

/** The original custom tool object, when the IR tool stands for a custom (freeform) tool. */
export function customToolOf(tool: ToolDefinition): Record<string, unknown> | undefined {
  const custom = ownExtension(tool.extensions)?.custom;
  return isRecord(custom) ? custom : undefined;
}

/** Names of the custom tools of a request; their calls are rendered as custom_tool_call items. */
export function customToolNames(request: CanonicalRequest): Set<string> {
  const names = new Set<string>();
  for (const tool of request.tools ?? []) if (customToolOf(tool)) names.add(tool.name);
  return names;
}

/** Responses needs an object schema at the top. */
function objectSchema(parameters: JsonSchema): JsonSchema {
  return parameters.type === undefined ? { type: 'object', properties: {}, ...parameters } : parameters;
}

export function encodeResponsesTools(request: CanonicalRequest): Record<string, unknown>[] {
  const tools = (request.tools ?? []).map((tool): Record<string, unknown> => {
    const custom = customToolOf(tool);
    if (custom) return custom;
    const encoded: Record<string, unknown> = { type: 'function', name: tool.name };
    if (tool.description !== undefined) encoded.description = tool.description;
    encoded.parameters = objectSchema(tool.parameters);
    // Responses treats a missing `strict` as true, which rejects most schemas written for other APIs.
    encoded.strict = tool.strict ?? false;
    return encoded;
  });
  const builtin = ownExtension(request.extensions)?.builtinTools;
  // Hosted tools exist only at OpenAI; other upstream dialects never see them.
  if (Array.isArray(builtin)) for (const tool of builtin) if (isRecord(tool)) tools.push(tool);
  return tools;
}

export function encodeResponsesToolChoice(request: CanonicalRequest): unknown {
  const raw = ownExtension(request.extensions)?.toolChoice;
  if (raw !== undefined) return raw;
  const choice = request.toolChoice;
  if (choice === undefined) return undefined;
  if (choice.type !== 'tool') return choice.type;
  const tool = request.tools?.find((candidate) => candidate.name === choice.name);
  return { type: tool && customToolOf(tool) ? 'custom' : 'function', name: choice.name };
}

export function encodeResponsesTextFormat(format: ResponseFormat): Record<string, unknown> {
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json':
      return { type: 'json_object' };
    case 'json-schema': {
      // `name` is required by the Responses API; other dialects may not carry one.
      const encoded: Record<string, unknown> = { type: 'json_schema', name: format.name ?? 'response', schema: format.schema };
      if (format.description !== undefined) encoded.description = format.description;
      if (format.strict !== undefined) encoded.strict = format.strict;
      return encoded;
    }
  }
}
