import type { ModelPrice } from './model-price.ts';

/**
 * Built-in list prices, USD per million tokens, standard (non-batch, non-priority) tier.
 *
 * Looked up on 2026-11-27:
 * - OpenAI: the API pricing page (developers.openai.com/api/docs/pricing) as mirrored in LiteLLM's
 *   model_prices_and_context_window.json, cross-checked against the page's June 2025 snapshot for
 *   GPT-4.1/4o. OpenAI charges nothing extra for cache writes. GPT-5.4 and later bill prompts above
 *   272K input tokens at a higher rate that is not modelled here (override the model if that matters).
 * - Anthropic: platform.claude.com/docs/en/about-claude/pricing ("Model pricing" and "Long context
 *   pricing"). `cacheWrite` is the 5-minute cache write price (1.25 × input), the default TTL; the
 *   1-hour TTL (2 × input) is not told apart in upstream usage. Sonnet 4 and 4.5 with the 1M context
 *   beta bill a request over 200K input tokens at $6 / $22.50 (cache prices scale the same way).
 * - Gemini: ai.google.dev/gemini-api/docs/pricing (paid tier, text/image/video input). Output prices
 *   include thinking tokens. Pro models bill a prompt over 200K tokens at the higher tier, every
 *   token of the request included. Context cache storage (per hour) is not a token price and is not
 *   counted.
 *
 * Keys are model names as the providers publish them; `aliases` are other names of the same model
 * that the name normalisation (dates, `-preview`, prefixes) does not reach.
 */
export const DEFAULT_PRICES_AS_OF = '2026-11-27';

export const DEFAULT_PRICE_SOURCES: Readonly<Record<string, string>> = {
  openai: 'https://developers.openai.com/api/docs/pricing',
  anthropic: 'https://platform.claude.com/docs/en/about-claude/pricing',
  gemini: 'https://ai.google.dev/gemini-api/docs/pricing',
};

export interface DefaultPrice extends ModelPrice {
  aliases?: readonly string[];
}

const SONNET_4_LONG_CONTEXT = { aboveInputTokens: 200_000, input: 6, cachedInput: 0.6, cacheWrite: 7.5, output: 22.5 };
const GEMINI_3_PRO_LONG_CONTEXT = { aboveInputTokens: 200_000, input: 4, cachedInput: 0.4, output: 18 };

export const DEFAULT_PRICES: Readonly<Record<string, DefaultPrice>> = {
  // OpenAI: GPT-4o and GPT-4.1
  'gpt-4o': { provider: 'openai', input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { provider: 'openai', input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4.1': { provider: 'openai', input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { provider: 'openai', input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { provider: 'openai', input: 0.1, cachedInput: 0.025, output: 0.4 },
  // OpenAI: GPT-5 family (codex and chat variants are priced as their base model)
  'gpt-5': { provider: 'openai', input: 1.25, cachedInput: 0.125, output: 10, aliases: ['gpt-5-chat', 'gpt-5-codex'] },
  'gpt-5-mini': { provider: 'openai', input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { provider: 'openai', input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-5-pro': { provider: 'openai', input: 15, output: 120 },
  'gpt-5.1': { provider: 'openai', input: 1.25, cachedInput: 0.125, output: 10, aliases: ['gpt-5.1-chat', 'gpt-5.1-codex', 'gpt-5.1-codex-max'] },
  'gpt-5.1-codex-mini': { provider: 'openai', input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5.2': { provider: 'openai', input: 1.75, cachedInput: 0.175, output: 14, aliases: ['gpt-5.2-chat', 'gpt-5.2-codex'] },
  'gpt-5.2-pro': { provider: 'openai', input: 21, output: 168 },
  'gpt-5.3-codex': { provider: 'openai', input: 1.75, cachedInput: 0.175, output: 14, aliases: ['gpt-5.3-chat'] },
  'gpt-5.4': { provider: 'openai', input: 2.5, cachedInput: 0.25, output: 15 },
  'gpt-5.4-mini': { provider: 'openai', input: 0.75, cachedInput: 0.075, output: 4.5 },
  'gpt-5.4-nano': { provider: 'openai', input: 0.2, cachedInput: 0.02, output: 1.25 },
  'gpt-5.5': { provider: 'openai', input: 5, cachedInput: 0.5, output: 30 },
  // OpenAI: o-series (reasoning tokens are billed as output)
  o1: { provider: 'openai', input: 15, cachedInput: 7.5, output: 60 },
  o3: { provider: 'openai', input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { provider: 'openai', input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o3-pro': { provider: 'openai', input: 20, output: 80 },
  'o4-mini': { provider: 'openai', input: 1.1, cachedInput: 0.275, output: 4.4 },

  // Anthropic: Claude 4.x (and the 3.x models still commonly routed)
  'claude-opus-4': { provider: 'anthropic', input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75, aliases: ['claude-opus-4-0'] },
  'claude-opus-4-1': { provider: 'anthropic', input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  'claude-opus-4-5': { provider: 'anthropic', input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'claude-opus-4-6': { provider: 'anthropic', input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'claude-opus-4-7': { provider: 'anthropic', input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'claude-opus-4-8': { provider: 'anthropic', input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'claude-sonnet-4': { provider: 'anthropic', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15, longContext: SONNET_4_LONG_CONTEXT, aliases: ['claude-sonnet-4-0'] },
  'claude-sonnet-4-5': { provider: 'anthropic', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15, longContext: SONNET_4_LONG_CONTEXT },
  'claude-sonnet-4-6': { provider: 'anthropic', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-haiku-4-5': { provider: 'anthropic', input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  'claude-3-7-sonnet': { provider: 'anthropic', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-3-5-haiku': { provider: 'anthropic', input: 0.8, cachedInput: 0.08, cacheWrite: 1, output: 4 },

  // Gemini: 2.5 and 3 (preview names normalise to these)
  'gemini-2.5-pro': {
    provider: 'gemini',
    input: 1.25,
    cachedInput: 0.125,
    output: 10,
    longContext: { aboveInputTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 },
  },
  'gemini-2.5-flash': { provider: 'gemini', input: 0.3, cachedInput: 0.03, output: 2.5 },
  'gemini-2.5-flash-lite': { provider: 'gemini', input: 0.1, cachedInput: 0.01, output: 0.4 },
  'gemini-3-pro': { provider: 'gemini', input: 2, cachedInput: 0.2, output: 12, longContext: GEMINI_3_PRO_LONG_CONTEXT },
  'gemini-3.1-pro': { provider: 'gemini', input: 2, cachedInput: 0.2, output: 12, longContext: GEMINI_3_PRO_LONG_CONTEXT },
  'gemini-3-flash': { provider: 'gemini', input: 0.5, cachedInput: 0.05, output: 3 },
  'gemini-3.1-flash-lite': { provider: 'gemini', input: 0.25, cachedInput: 0.025, output: 1.5 },
  'gemini-2.0-flash': { provider: 'gemini', input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gemini-2.0-flash-lite': { provider: 'gemini', input: 0.075, output: 0.3 },
};
