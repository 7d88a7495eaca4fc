import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { cleanGeminiParameters } from './clean-schema.ts';
import { hasKeys } from './read-fields.ts';

export interface EncodedGeminiTools {
  tools?: Array<Record<string, unknown>>;
  toolConfig?: Record<string, unknown>;
}

/**
 * Tool definitions as one `functionDeclarations` entry (parameters cleaned to what Gemini's
 * `parameters` accepts, on AI Studio and Vertex alike), plus a Gemini client's built-in tools.
 * `parallelToolCalls` has no Gemini counterpart: Gemini decides by itself.
 */
export function encodeGeminiTools(request: CanonicalRequest): EncodedGeminiTools {
  const extension = request.extensions?.gemini;
  const tools: Array<Record<string, unknown>> = [];
  const definitions = request.tools ?? [];
  if (definitions.length > 0) {
    const declarations = definitions.map((tool) => {
      const declaration: Record<string, unknown> = { name: tool.name };
      if (tool.description !== undefined) declaration.description = tool.description;
      const parameters = cleanGeminiParameters(tool.parameters);
      if (parameters) declaration.parameters = parameters;
      return declaration;
    });
    tools.push({ functionDeclarations: declarations });
  }
  if (Array.isArray(extension?.builtInTools)) for (const tool of extension.builtInTools) if (isRecord(tool)) tools.push(tool);

  const encoded: EncodedGeminiTools = {};
  if (tools.length > 0) encoded.tools = tools;
  const toolConfig: Record<string, unknown> = isRecord(extension?.toolConfig) ? { ...extension.toolConfig } : {};
  const choice = request.toolChoice;
  // A calling config without declarations is rejected.
  if (choice && definitions.length > 0) {
    const config: Record<string, unknown> = {};
    if (choice.type === 'auto') config.mode = extension?.functionCallingMode === 'VALIDATED' ? 'VALIDATED' : 'AUTO';
    else if (choice.type === 'none') config.mode = 'NONE';
    else config.mode = 'ANY';
    if (choice.type === 'tool') config.allowedFunctionNames = [choice.name];
    else if (choice.type === 'required' && Array.isArray(extension?.allowedFunctionNames)) {
      config.allowedFunctionNames = extension.allowedFunctionNames;
    }
    toolConfig.functionCallingConfig = config;
  }
  if (hasKeys(toolConfig)) encoded.toolConfig = toolConfig;
  return encoded;
}
