/** One Gemini part as written on the wire; parts kept from a Gemini peer pass through unchanged. */
export type GeminiPart = Record<string, unknown>;

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

/** One GenerateContentResponse: a whole response, or one chunk of a stream. */
export interface GeminiResponseChunk {
  candidates: Array<Record<string, unknown>>;
  usageMetadata?: Record<string, number>;
  promptFeedback?: unknown;
  modelVersion: string;
  responseId: string;
}

/** Gemini 3 requires a signature on the first function call of a model turn; this documented value skips the check. */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';
