import type { ProviderDefinition } from '../provider-definition.ts';

/**
 * Codex: the OpenAI Responses wire format. The ChatGPT backend only streams, stores nothing and
 * rejects sampling and length parameters, so the body is adjusted accordingly.
 */
export const codexProvider: ProviderDefinition = {
  type: 'codex',
  configSection: 'codex-api-key',
  dialect: 'openai-responses',
  defaultBaseUrl: 'https://chatgpt.com/backend-api/codex',
  endpoint: ({ operation }) => (operation === 'generate' ? '/responses' : undefined),
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  streamOnly: true,
  adjustBody: (body) => {
    body.stream = true;
    body.store = false;
    // Every Codex model reasons and nothing is stored: encrypted reasoning is the only way a later turn continues it.
    const include = Array.isArray(body.include) ? body.include : [];
    if (!include.includes('reasoning.encrypted_content')) body.include = [...include, 'reasoning.encrypted_content'];
    if (typeof body.instructions !== 'string') body.instructions = '';
    delete body.max_output_tokens;
    delete body.temperature;
    delete body.top_p;
    delete body.previous_response_id;
  },
  builtinModels: [
    { id: 'gpt-5-codex', contextWindow: 400000, maxOutputTokens: 128000 },
    { id: 'gpt-5.1-codex', contextWindow: 400000, maxOutputTokens: 128000 },
    { id: 'gpt-5.1-codex-mini', contextWindow: 400000, maxOutputTokens: 128000 },
    { id: 'gpt-5', contextWindow: 400000, maxOutputTokens: 128000 },
  ],
};
