import { isRecord, readNumber } from '../../dialects/shared/json-fields.ts';
import type { ProviderDefinition } from '../provider-definition.ts';

/** Anthropic Messages API with an API key; `base-url` is the host root. */
export const anthropicProvider: ProviderDefinition = {
  type: 'claude',
  configSection: 'claude-api-key',
  dialect: 'anthropic-messages',
  defaultBaseUrl: 'https://api.anthropic.com',
  endpoint: ({ operation }) => {
    if (operation === 'generate') return '/v1/messages';
    if (operation === 'count-tokens') return '/v1/messages/count_tokens';
    return undefined;
  },
  authHeaders: (apiKey) => ({ 'x-api-key': apiKey }),
  defaultHeaders: { 'anthropic-version': '2023-06-01' },
  countTokens: {
    // count_tokens accepts only the prompt-shaping fields of a Messages request.
    body: (encoded) => {
      const body: Record<string, unknown> = {};
      for (const key of ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking']) {
        if (encoded[key] !== undefined) body[key] = encoded[key];
      }
      return body;
    },
    read: (response) => (isRecord(response) ? readNumber(response.input_tokens) : undefined),
  },
  builtinModels: [
    { id: 'claude-opus-4-5', contextWindow: 200000, maxOutputTokens: 64000 },
    { id: 'claude-sonnet-4-5', contextWindow: 200000, maxOutputTokens: 64000 },
    { id: 'claude-haiku-4-5', contextWindow: 200000, maxOutputTokens: 64000 },
    { id: 'claude-opus-4-1', contextWindow: 200000, maxOutputTokens: 32000 },
    { id: 'claude-sonnet-4-0', contextWindow: 200000, maxOutputTokens: 64000 },
  ],
};
