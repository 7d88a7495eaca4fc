import type { ProviderDefinition } from '../provider-definition.ts';

/** Any server that speaks OpenAI Chat Completions; `base-url` includes the version (`…/v1`). */
export const openaiCompatibleProvider: ProviderDefinition = {
  type: 'openai-compatibility',
  configSection: 'openai-compatibility',
  dialect: 'openai-chat',
  defaultBaseUrl: 'https://api.openai.com/v1',
  endpoint: ({ operation }) => {
    if (operation === 'generate') return '/chat/completions';
    if (operation === 'embed') return '/embeddings';
    return undefined;
  },
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  builtinModels: [
    { id: 'gpt-5', contextWindow: 400000, maxOutputTokens: 128000 },
    { id: 'gpt-5-mini', contextWindow: 400000, maxOutputTokens: 128000 },
    { id: 'gpt-4.1', contextWindow: 1047576, maxOutputTokens: 32768 },
    { id: 'gpt-4.1-mini', contextWindow: 1047576, maxOutputTokens: 32768 },
    { id: 'gpt-4o', contextWindow: 128000, maxOutputTokens: 16384 },
    { id: 'gpt-4o-mini', contextWindow: 128000, maxOutputTokens: 16384 },
    { id: 'o3', contextWindow: 200000, maxOutputTokens: 100000 },
    { id: 'o4-mini', contextWindow: 200000, maxOutputTokens: 100000 },
  ],
};
