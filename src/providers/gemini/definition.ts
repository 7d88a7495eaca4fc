import { isRecord, readNumber } from '../../dialects/shared/json-fields.ts';
import type { EndpointContext, ProviderDefinition } from '../provider-definition.ts';

const ACTION_BY_OPERATION = { 'count-tokens': 'countTokens', embed: 'embedContent' } as const;

/** Model action path shared by the Gemini API and Vertex (`{prefix}/{model}:{action}`). */
export function geminiActionPath(prefix: string, { model, stream, operation }: EndpointContext): string {
  const name = encodeURIComponent(model);
  if (operation === 'generate') {
    return stream ? `${prefix}/${name}:streamGenerateContent?alt=sse` : `${prefix}/${name}:generateContent`;
  }
  return `${prefix}/${name}:${ACTION_BY_OPERATION[operation]}`;
}

/** countTokens takes a whole generateContent request when tools and system instructions must count too. */
export const geminiCountTokens: NonNullable<ProviderDefinition['countTokens']> = {
  body: (encoded, model) => ({ generateContentRequest: { model: `models/${model}`, ...encoded } }),
  read: (response) => (isRecord(response) ? readNumber(response.totalTokens) : undefined),
};

export const geminiBuiltinModels = [
  { id: 'gemini-2.5-pro', contextWindow: 1048576, maxOutputTokens: 65536 },
  { id: 'gemini-2.5-flash', contextWindow: 1048576, maxOutputTokens: 65536 },
  { id: 'gemini-2.5-flash-lite', contextWindow: 1048576, maxOutputTokens: 65536 },
  { id: 'gemini-3-pro-preview', contextWindow: 1048576, maxOutputTokens: 65536 },
  { id: 'gemini-3-flash-preview', contextWindow: 1048576, maxOutputTokens: 65536 },
  { id: 'text-embedding-004' },
];

/** Gemini API (AI Studio) with an API key; `base-url` is the host root. */
export const geminiProvider: ProviderDefinition = {
  type: 'gemini',
  configSection: 'gemini-api-key',
  dialect: 'gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  endpoint: (context) => geminiActionPath('/v1beta/models', context),
  authHeaders: (apiKey) => ({ 'x-goog-api-key': apiKey }),
  countTokens: geminiCountTokens,
  builtinModels: geminiBuiltinModels,
};
