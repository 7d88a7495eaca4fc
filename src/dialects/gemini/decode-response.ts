import type { AssistantContentPart } from '../../ir/content.ts';
import type { FinishReason } from '../../ir/finish-reason.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { isRecord } from '../shared/json-fields.ts';
import { decodeGeminiModelPart, type GeminiCallIdSource } from './decode-model-part.ts';
import { newGeminiCallId, newGeminiResponseId } from './ids.ts';
import { decodeGeminiBlockReason, decodeGeminiFinishReason } from './map-finish-reason.ts';
import { decodeGeminiUsage } from './map-usage.ts';
import { hasKeys } from './read-fields.ts';

/** Calls from an upstream keep Gemini's id when it gave one; otherwise they get a fresh one. */
export const upstreamCallId: GeminiCallIdSource = (_name, geminiId) => geminiId ?? newGeminiCallId();

/**
 * A generateContent response. Only the first candidate counts (requests never ask for more).
 * `extensions.gemini` keeps `candidate` (groundingMetadata, citationMetadata, safetyRatings,
 * ...) and `promptFeedback` for a Gemini client.
 */
export function decodeGeminiResponse(body: unknown): CanonicalResponse {
  if (!isRecord(body)) {
    throw new GatewayError({ status: 502, code: 'upstream_error', message: 'Gemini response is not a JSON object' });
  }
  const candidate = firstGeminiCandidate(body);
  const content: AssistantContentPart[] = [];
  const parts = isRecord(candidate?.content) ? candidate.content.parts : undefined;
  if (Array.isArray(parts)) for (const part of parts) if (isRecord(part)) decodeGeminiModelPart(part, upstreamCallId, content);
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  const response: CanonicalResponse = {
    id: typeof body.responseId === 'string' ? body.responseId : newGeminiResponseId(),
    model: typeof body.modelVersion === 'string' ? body.modelVersion : '',
    created: createdAt(body.createTime),
    content,
    finishReason: geminiFinishReason(body, candidate, hasToolCalls) ?? { unified: hasToolCalls ? 'tool-calls' : 'other' },
    usage: decodeGeminiUsage(body.usageMetadata),
  };
  const extension = geminiResponseExtension(body, candidate);
  if (extension) response.extensions = { gemini: extension };
  return response;
}

export function firstGeminiCandidate(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const candidates = body.candidates;
  return Array.isArray(candidates) && isRecord(candidates[0]) ? candidates[0] : undefined;
}

/** The candidate's finish reason, or the prompt's block reason; undefined while a stream is still going. */
export function geminiFinishReason(
  body: Record<string, unknown>,
  candidate: Record<string, unknown> | undefined,
  hasToolCalls: boolean,
): FinishReason | undefined {
  if (typeof candidate?.finishReason === 'string') return decodeGeminiFinishReason(candidate.finishReason, hasToolCalls);
  const feedback = body.promptFeedback;
  if (isRecord(feedback) && typeof feedback.blockReason === 'string') return decodeGeminiBlockReason(feedback.blockReason);
  return undefined;
}

/** What a Gemini client sees beside the content: grounding, citations, safety ratings, prompt feedback. */
export function geminiResponseExtension(
  body: Record<string, unknown>,
  candidate: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const extension: Record<string, unknown> = {};
  if (candidate) {
    const extras: Record<string, unknown> = {};
    for (const key in candidate) if (key !== 'content' && key !== 'finishReason' && key !== 'index') extras[key] = candidate[key];
    if (hasKeys(extras)) extension.candidate = extras;
  }
  if (body.promptFeedback !== undefined) extension.promptFeedback = body.promptFeedback;
  return hasKeys(extension) ? extension : undefined;
}

/** Vertex stamps `createTime`; AI Studio does not. */
function createdAt(createTime: unknown): number {
  const parsed = typeof createTime === 'string' ? Date.parse(createTime) : Number.NaN;
  return Math.floor((Number.isNaN(parsed) ? Date.now() : parsed) / 1000);
}
