import type { EncodeRequestContext } from '../../ir/codec.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { encodeGeminiContents } from './encode-contents.ts';
import { encodeGeminiGenerationConfig } from './encode-generation-config.ts';
import { encodeGeminiTools } from './encode-tools.ts';

/**
 * The body of a generateContent request; the provider puts model and stream in the URL.
 * `user` has no Gemini counterpart and is dropped (it only labels the caller).
 */
export function encodeGeminiRequest(request: CanonicalRequest, context: EncodeRequestContext): Record<string, unknown> {
  const { contents, system } = encodeGeminiContents(request.messages);
  const body: Record<string, unknown> = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  const { tools, toolConfig } = encodeGeminiTools(request);
  if (tools) body.tools = tools;
  if (toolConfig) body.toolConfig = toolConfig;
  const generationConfig = encodeGeminiGenerationConfig(request, context.model);
  if (generationConfig) body.generationConfig = generationConfig;
  const rest = request.extensions?.gemini?.request;
  if (isRecord(rest)) for (const key in rest) if (!(key in body)) body[key] = rest[key];
  return body;
}
