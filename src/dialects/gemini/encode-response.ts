import type { EncodeResponseContext } from '../../ir/codec.ts';
import type { Extensions } from '../../ir/dialect-id.ts';
import type { FinishReason } from '../../ir/finish-reason.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import type { Usage } from '../../ir/usage.ts';
import { isRecord } from '../shared/json-fields.ts';
import { encodeGeminiModelParts } from './encode-model-parts.ts';
import { encodeGeminiFinishReason } from './map-finish-reason.ts';
import { encodeGeminiUsage } from './map-usage.ts';
import type { GeminiPart, GeminiResponseChunk } from './wire-types.ts';

/** A canonical response as a GenerateContentResponse; `modelVersion` echoes the model the client asked for. */
export function encodeGeminiResponse(response: CanonicalResponse, context: EncodeResponseContext): GeminiResponseChunk {
  const parts = encodeGeminiModelParts(response.content, 'response');
  return encodeGeminiFinalChunk(parts, response.finishReason, response.usage, context.model, response.id, response.extensions);
}

/**
 * The response's last (or only) chunk: the candidate with its finish reason, the usage, and what a
 * Gemini upstream attached (grounding, citations, safety ratings, prompt feedback).
 */
export function encodeGeminiFinalChunk(
  parts: GeminiPart[],
  finishReason: FinishReason,
  usage: Usage,
  model: string,
  responseId: string,
  extensions: Extensions | undefined,
): GeminiResponseChunk {
  const extension = extensions?.gemini;
  const candidate: Record<string, unknown> = {
    content: { parts, role: 'model' },
    finishReason: encodeGeminiFinishReason(finishReason),
    index: 0,
  };
  const extras = extension?.candidate;
  if (isRecord(extras)) for (const key in extras) if (!(key in candidate)) candidate[key] = extras[key];
  const chunk: GeminiResponseChunk = {
    candidates: [candidate],
    usageMetadata: encodeGeminiUsage(usage),
    modelVersion: model,
    responseId,
  };
  if (extension?.promptFeedback !== undefined) chunk.promptFeedback = extension.promptFeedback;
  return chunk;
}
