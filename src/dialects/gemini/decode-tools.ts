import { invalidRequest } from '../../ir/gateway-error.ts';
import type { JsonSchema, ToolChoice, ToolDefinition } from '../../ir/tool.ts';
import { isRecord, optionalJsonString } from '../shared/json-fields.ts';
import { geminiSchemaToJsonSchema } from './gemini-schema-to-json-schema.ts';
import { field, hasKeys } from './read-fields.ts';

export interface DecodedGeminiTools {
  tools: ToolDefinition[];
  /** Built-in tools (googleSearch, codeExecution, urlContext, ...) only a Gemini upstream can run. */
  builtIn: Array<Record<string, unknown>>;
}

/** `tools`: function declarations become tool definitions; every other tool entry is kept as it came. */
export function decodeGeminiTools(value: unknown): DecodedGeminiTools {
  const decoded: DecodedGeminiTools = { tools: [], builtIn: [] };
  if (value === undefined || value === null) return decoded;
  if (!Array.isArray(value)) throw invalidRequest('tools: must be an array');
  value.forEach((tool, i) => {
    if (!isRecord(tool)) throw invalidRequest(`tools[${i}]: must be an object`);
    const builtIn: Record<string, unknown> = {};
    for (const key in tool) {
      if (key === 'functionDeclarations' || key === 'function_declarations') {
        decodeDeclarations(tool[key], `tools[${i}].functionDeclarations`, decoded.tools);
      } else {
        builtIn[key] = tool[key];
      }
    }
    if (hasKeys(builtIn)) decoded.builtIn.push(builtIn);
  });
  return decoded;
}

function decodeDeclarations(value: unknown, path: string, into: ToolDefinition[]): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw invalidRequest(`${path}: must be an array`);
  value.forEach((declaration, j) => {
    const at = `${path}[${j}]`;
    if (!isRecord(declaration)) throw invalidRequest(`${at}: must be an object`);
    const name = optionalJsonString(declaration.name, `${at}.name`);
    if (name === undefined || name === '') throw invalidRequest(`${at}.name: is required`);
    const description = optionalJsonString(declaration.description, `${at}.description`);
    const tool: ToolDefinition = { name, parameters: declarationSchema(declaration, at) };
    if (description !== undefined) tool.description = description;
    into.push(tool);
  });
}

/** Gemini CLI sends `parametersJsonSchema` (JSON Schema); older clients `parameters` (Gemini's OpenAPI subset). */
function declarationSchema(declaration: Record<string, unknown>, path: string): JsonSchema {
  const jsonSchema = field(declaration, 'parametersJsonSchema', 'parameters_json_schema');
  if (jsonSchema !== undefined && jsonSchema !== null) {
    if (!isRecord(jsonSchema)) throw invalidRequest(`${path}.parametersJsonSchema: must be an object`);
    return jsonSchema;
  }
  const parameters = declaration.parameters;
  if (parameters === undefined || parameters === null) return { type: 'object', properties: {} };
  if (!isRecord(parameters)) throw invalidRequest(`${path}.parameters: must be an object`);
  return geminiSchemaToJsonSchema(parameters);
}

export interface DecodedGeminiToolConfig {
  toolChoice?: ToolChoice;
  /** toolConfig fields other than functionCallingConfig (retrievalConfig, ...). */
  rest?: Record<string, unknown>;
  /** What the tool choice cannot say, for a Gemini upstream. */
  functionCallingMode?: 'VALIDATED';
  allowedFunctionNames?: string[];
}

/**
 * `toolConfig.functionCallingConfig`: AUTO/NONE/ANY; ANY restricted to one function is a
 * forced tool. VALIDATED behaves like AUTO for other dialects.
 */
export function decodeGeminiToolConfig(value: unknown): DecodedGeminiToolConfig {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalidRequest('toolConfig: must be an object');
  const decoded: DecodedGeminiToolConfig = {};
  const rest: Record<string, unknown> = {};
  for (const key in value) {
    if (key !== 'functionCallingConfig' && key !== 'function_calling_config') rest[key] = value[key];
  }
  if (hasKeys(rest)) decoded.rest = rest;
  const config = field(value, 'functionCallingConfig', 'function_calling_config');
  if (config !== undefined && config !== null) {
    if (!isRecord(config)) throw invalidRequest('toolConfig.functionCallingConfig: must be an object');
    const mode = optionalJsonString(config.mode, 'toolConfig.functionCallingConfig.mode')?.toUpperCase();
    const allowed = field(config, 'allowedFunctionNames', 'allowed_function_names');
    if (allowed !== undefined && allowed !== null && !(Array.isArray(allowed) && allowed.every((name) => typeof name === 'string'))) {
      throw invalidRequest('toolConfig.functionCallingConfig.allowedFunctionNames: must be an array of strings');
    }
    const names = (allowed ?? []) as string[];
    if (mode === 'AUTO') decoded.toolChoice = { type: 'auto' };
    else if (mode === 'NONE') decoded.toolChoice = { type: 'none' };
    else if (mode === 'ANY') decoded.toolChoice = names.length === 1 ? { type: 'tool', name: names[0] } : { type: 'required' };
    else if (mode === 'VALIDATED') decoded.toolChoice = { type: 'auto' };
    else if (mode !== undefined && mode !== 'MODE_UNSPECIFIED') throw invalidRequest(`toolConfig.functionCallingConfig.mode: unknown mode "${mode}"`);
    if (mode === 'VALIDATED') decoded.functionCallingMode = mode;
    if (names.length > 1) decoded.allowedFunctionNames = names;
  }
  return decoded;
}
