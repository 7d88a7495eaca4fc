import type { DecodeRequestContext } from '../../ir/codec.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { decodeGeminiContents, decodeGeminiSystemInstruction } from './decode-contents.ts';
import { decodeGeminiGenerationConfig } from './decode-generation-config.ts';
import { decodeGeminiToolConfig, decodeGeminiTools } from './decode-tools.ts';
import { field, hasKeys } from './read-fields.ts';

const BODY_KEYS = new Set([
  'model',
  'contents',
  'systemInstruction',
  'system_instruction',
  'tools',
  'toolConfig',
  'tool_config',
  'generationConfig',
  'generation_config',
]);

/**
 * A generateContent / streamGenerateContent body. Model and stream come from the URL
 * (`/v1beta/models/{model}:streamGenerateContent`), so from the context.
 *
 * `extensions.gemini` keeps what only a Gemini upstream understands: `request` (safetySettings,
 * cachedContent, labels and other top-level fields), `generationConfig` (fields the IR lacks),
 * `builtInTools`, `toolConfig`, `functionCallingMode`, `allowedFunctionNames`, `responseJsonSchema`.
 */
export function decodeGeminiRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  if (!isRecord(body)) throw invalidRequest('body: must be a JSON object');
  const model = context.model ?? modelFromBody(body.model);
  if (!model) throw invalidRequest('model: missing (Gemini takes it from the URL path)');

  const system = decodeGeminiSystemInstruction(field(body, 'systemInstruction', 'system_instruction'));
  const messages = decodeGeminiContents(body.contents);
  if (system) messages.unshift(system);
  const request: CanonicalRequest = { model, messages, stream: context.stream ?? false };
  const extension: Record<string, unknown> = {};

  const tools = decodeGeminiTools(body.tools);
  if (tools.tools.length > 0) request.tools = tools.tools;
  if (tools.builtIn.length > 0) extension.builtInTools = tools.builtIn;

  const toolConfig = decodeGeminiToolConfig(field(body, 'toolConfig', 'tool_config'));
  if (toolConfig.toolChoice) request.toolChoice = toolConfig.toolChoice;
  if (toolConfig.rest) extension.toolConfig = toolConfig.rest;
  if (toolConfig.functionCallingMode) extension.functionCallingMode = toolConfig.functionCallingMode;
  if (toolConfig.allowedFunctionNames) extension.allowedFunctionNames = toolConfig.allowedFunctionNames;

  const generation = decodeGeminiGenerationConfig(field(body, 'generationConfig', 'generation_config'), request);
  if (generation.rest) extension.generationConfig = generation.rest;
  if (generation.responseJsonSchema) extension.responseJsonSchema = true;

  const rest: Record<string, unknown> = {};
  for (const key in body) if (!BODY_KEYS.has(key)) rest[key] = body[key];
  if (hasKeys(rest)) extension.request = rest;

  if (hasKeys(extension)) request.extensions = { gemini: extension };
  return request;
}

/** countTokens' `generateContentRequest` names its model in the body, as `models/<id>`. */
function modelFromBody(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return value.startsWith('models/') ? value.slice(7) : value;
}
