import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { cleanGeminiSchema } from './clean-schema.ts';
import { encodeGeminiThinkingConfig } from './encode-thinking-config.ts';
import { hasKeys } from './read-fields.ts';

/** `generationConfig` of an upstream request, or undefined when there is nothing to set. */
export function encodeGeminiGenerationConfig(request: CanonicalRequest, model: string): Record<string, unknown> | undefined {
  const extension = request.extensions?.gemini;
  const config: Record<string, unknown> = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.stopSequences && request.stopSequences.length > 0) config.stopSequences = request.stopSequences;
  const format = request.responseFormat;
  if (format && format.type !== 'text') {
    config.responseMimeType = 'application/json';
    if (format.type === 'json-schema') {
      // responseSchema (the OpenAPI subset) works on every model; a Gemini client's own responseJsonSchema goes back as sent.
      if (extension?.responseJsonSchema === true) config.responseJsonSchema = format.schema;
      else config.responseSchema = cleanGeminiSchema(format.schema);
    }
  }
  if (request.reasoning) config.thinkingConfig = encodeGeminiThinkingConfig(request.reasoning, model);
  const rest = extension?.generationConfig;
  if (isRecord(rest)) for (const key in rest) if (!(key in config)) config[key] = rest[key];
  return hasKeys(config) ? config : undefined;
}
