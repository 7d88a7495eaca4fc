/** USD per million tokens of each kind. */
export interface TokenPrices {
  /** Input tokens that were neither read from nor written to a prompt cache. */
  input: number;
  output: number;
  /** Input tokens read from a prompt cache; when absent they cost `input`. */
  cachedInput?: number;
  /** Input tokens written to a prompt cache; when absent they cost `input` (no provider surcharge). */
  cacheWrite?: number;
  /** Reasoning tokens, part of the output; when absent they cost `output` (every current provider). */
  reasoning?: number;
}

/** Prices that apply to every token of a request whose input tokens exceed `aboveInputTokens`. */
export interface LongContextPrices extends TokenPrices {
  aboveInputTokens: number;
}

export interface ModelPrice extends TokenPrices {
  /** Who sells the model at this price (`openai`, `anthropic`, `gemini`, or `custom` for a config-only entry). */
  provider: string;
  longContext?: LongContextPrices;
}

export const PRICE_FIELDS = ['input', 'output', 'cachedInput', 'cacheWrite', 'reasoning'] as const;
