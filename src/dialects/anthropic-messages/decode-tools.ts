import { invalidRequest } from '../../ir/gateway-error.ts';
import type { ToolChoice, ToolDefinition } from '../../ir/tool.ts';
import { isRecord } from '../shared/json-fields.ts';
import { type AnthropicRequestExtension, toExtensions } from './extensions.ts';
import { extraFields } from './extra-fields.ts';
import { optionalBoolean, optionalString, requireRecord, requireString } from './read-field.ts';

/**
 * Client tools map to the IR; server tools (a `type` such as web_search_20250305 or bash_20250124) run
 * on Anthropic's side and have no IR form, so they stay in the request extension with their position.
 * Other upstreams cannot run them and do not get them: the model there simply lacks that tool.
 */
export function decodeAnthropicTools(value: unknown, extension: AnthropicRequestExtension): ToolDefinition[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidRequest('tools: Input should be a valid list');
  const tools: ToolDefinition[] = [];
  value.forEach((tool, index) => {
    const path = `tools.${index}`;
    if (!isRecord(tool)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      (extension.serverTools ??= []).push({ position: index, tool });
      return;
    }
    const definition: ToolDefinition = {
      name: requireString(tool.name, `${path}.name`),
      parameters: requireRecord(tool.input_schema, `${path}.input_schema`),
    };
    const description = optionalString(tool.description, `${path}.description`);
    if (description !== undefined) definition.description = description;
    const strict = optionalBoolean(tool.strict, `${path}.strict`);
    if (strict !== undefined) definition.strict = strict;
    // `strict` stays among the kept fields too: it is forwarded to Claude only when a Claude client sent it.
    const fields = extraFields(tool, ['name', 'description', 'input_schema']);
    if (fields) definition.extensions = toExtensions({ fields });
    tools.push(definition);
  });
  return tools;
}

export interface DecodedToolChoice {
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
}

export function decodeAnthropicToolChoice(value: unknown): DecodedToolChoice {
  if (value === undefined || value === null) return {};
  const choice = requireRecord(value, 'tool_choice');
  const decoded: DecodedToolChoice = {};
  switch (choice.type) {
    case 'auto':
      decoded.toolChoice = { type: 'auto' };
      break;
    case 'any':
      decoded.toolChoice = { type: 'required' };
      break;
    case 'none':
      decoded.toolChoice = { type: 'none' };
      break;
    case 'tool':
      decoded.toolChoice = { type: 'tool', name: requireString(choice.name, 'tool_choice.name') };
      break;
    default:
      throw invalidRequest("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
  }
  const disableParallel = optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  if (disableParallel !== undefined) decoded.parallelToolCalls = !disableParallel;
  return decoded;
}
