import type { ProviderDefinition } from '../provider-definition.ts';
import { geminiActionPath, geminiBuiltinModels, geminiCountTokens } from '../gemini/definition.ts';

/** Vertex AI with an API key (express mode): Gemini wire format under the publisher path. */
export const vertexProvider: ProviderDefinition = {
  type: 'vertex',
  configSection: 'vertex-api-key',
  dialect: 'gemini',
  defaultBaseUrl: 'https://aiplatform.googleapis.com',
  endpoint: (context) => geminiActionPath('/v1/publishers/google/models', context),
  authHeaders: (apiKey) => ({ 'x-goog-api-key': apiKey }),
  countTokens: geminiCountTokens,
  builtinModels: geminiBuiltinModels.filter((model) => model.id.startsWith('gemini')),
};
