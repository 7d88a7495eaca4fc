import type { MockUsage } from '../../mock-upstream/index.ts';
import type { InclusiveTokens } from './client-dialects.ts';

export type UpstreamDialect = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini';

/**
 * What a record must say about an attempt the mock answered: the mock's own figures (inclusive
 * already), limited to what the upstream's wire format can carry. Only Anthropic reports cache
 * writes; elsewhere those tokens are plain input.
 */
export function expectedTokens(usage: MockUsage, upstream: UpstreamDialect): InclusiveTokens {
  return {
    in: usage.input,
    out: usage.output,
    cacheRead: usage.cacheRead,
    cacheWrite: upstream === 'anthropic-messages' ? usage.cacheWrite : 0,
    reasoning: usage.reasoning,
  };
}

/** USD per million tokens, as config.yaml's `pricing:` names them. */
export interface TestPrice {
  input: number;
  output: number;
  'cached-input': number;
  'cache-write': number;
  reasoning: number;
}

/** docs/usage.md's formula: each kind of token at its own price, plain input and output being what is left. */
export function expectedCost(tokens: InclusiveTokens, price: TestPrice): number {
  return (
    ((tokens.in - tokens.cacheRead - tokens.cacheWrite) * price.input +
      tokens.cacheRead * price['cached-input'] +
      tokens.cacheWrite * price['cache-write'] +
      (tokens.out - tokens.reasoning) * price.output +
      tokens.reasoning * price.reasoning) /
    1_000_000
  );
}

export function pricingYaml(prices: Record<string, TestPrice>): string {
  return `pricing:\n${Object.entries(prices)
    .map(([model, price]) => `  ${model}: {${Object.entries(price).map(([field, value]) => `${field}: ${value}`).join(', ')}}`)
    .join('\n')}\n`;
}
