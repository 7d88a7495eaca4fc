import { invalidRequest } from '../../ir/gateway-error.ts';
import { isRecord, optionalJsonNumber, optionalJsonString } from '../shared/json-fields.ts';
import { field } from './read-fields.ts';

export interface GeminiEmbedRequest {
  texts: string[];
  dimensions?: number;
}

/**
 * `models/{model}:embedContent`: one content gives one embedding, so its text parts are one
 * input. `taskType` and `title` tune Gemini's own embedding models only and are not carried.
 */
export function decodeGeminiEmbedContentRequest(body: unknown): GeminiEmbedRequest {
  if (!isRecord(body)) throw invalidRequest('body: must be a JSON object');
  const content = body.content;
  if (!isRecord(content) || !Array.isArray(content.parts)) throw invalidRequest('content.parts: must be an array');
  const texts: string[] = [];
  content.parts.forEach((part, i) => {
    if (!isRecord(part)) throw invalidRequest(`content.parts[${i}]: must be an object`);
    const text = optionalJsonString(part.text, `content.parts[${i}].text`);
    if (text === undefined) throw invalidRequest(`content.parts[${i}]: only text parts can be embedded`);
    texts.push(text);
  });
  if (texts.length === 0) throw invalidRequest('content.parts: must not be empty');
  const request: GeminiEmbedRequest = { texts: [texts.join('\n')] };
  const dimensions = optionalJsonNumber(field(body, 'outputDimensionality', 'output_dimensionality'), 'outputDimensionality');
  if (dimensions !== undefined) request.dimensions = dimensions;
  return request;
}

export function encodeGeminiEmbedContentResponse(values: number[]): { embedding: { values: number[] } } {
  return { embedding: { values } };
}
