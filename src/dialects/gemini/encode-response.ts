import type { EncodeResponseContext } from '../../ir/codec.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { encodeGeminiModelParts } from './encode-model-parts.ts';
import { encodeGeminiFinishReason } from './map-finish-reason.ts';
import { encodeGeminiUsage } from './map-usage.ts';
import { isRecord } from './read-fields.ts';
import type { GeminiResponseChunk } from './wire-types.ts';

/** A canonical response as a GenerateContentResponse; `modelVersion` echoes the model the client asked for. */
export function encodeGeminiResponse(response: CanonicalResponse, context: EncodeResponseContext): GeminiResponseChunk {
  const extension = response.extensions?.gemini;
  const candidate: Record<string, unknown> = {
    content: { parts: encodeGeminiModelParts(response.content, 'response'), role: 'model' },
    finishReason: encodeGeminiFinishReason(response.finishReason),
    index: 0,
  };
  addCandidateExtras(candidate, extension?.candidate);
  const body: GeminiResponseChunk = {
    candidates: [candidate],
    usageMetadata: encodeGeminiUsage(response.usage),
    modelVersion: context.model,
    responseId: response.id,
  };
  if (extension?.promptFeedback !== undefined) body.promptFeedback = extension.promptFeedback;
  return body;
}

/** Grounding, citations and safety ratings a Gemini upstream attached to its candidate. */
export function addCandidateExtras(candidate: Record<string, unknown>, extras: unknown): void {
  if (!isRecord(extras)) return;
  for (const key in extras) if (!(key in candidate)) candidate[key] = extras[key];
}
