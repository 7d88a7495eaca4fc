export interface GeminiModelEntry {
  id: string;
  displayName?: string;
  description?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
}

/** GET /v1beta/models/{model}. Limits default to current Gemini models' (1M in, 64K out) when unknown. */
export function encodeGeminiModel(model: GeminiModelEntry): Record<string, unknown> {
  return {
    name: `models/${model.id}`,
    version: '001',
    displayName: model.displayName ?? model.id,
    description: model.description ?? `${model.displayName ?? model.id} via Switchyard`,
    inputTokenLimit: model.inputTokenLimit ?? 1048576,
    outputTokenLimit: model.outputTokenLimit ?? 65536,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
  };
}

/** GET /v1beta/models. */
export function encodeGeminiModelsList(models: GeminiModelEntry[]): { models: Array<Record<string, unknown>> } {
  return { models: models.map(encodeGeminiModel) };
}
