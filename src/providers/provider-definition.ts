import type { DialectId } from '../ir/dialect-id.ts';
import type { ProviderType } from './provider-type.ts';

export type UpstreamOperation = 'generate' | 'count-tokens' | 'embed';

export interface EndpointContext {
  model: string;
  stream: boolean;
  operation: UpstreamOperation;
}

export interface BuiltinModel {
  id: string;
  /** Context window and output limits, for model lists. */
  contextWindow?: number;
  maxOutputTokens?: number;
}

/**
 * A provider is data plus a few small functions: which dialect it speaks, where, and how to
 * authenticate. The router never looks inside; adding a provider means adding a folder and a
 * line in `./index.ts`.
 */
export interface ProviderDefinition {
  type: ProviderType;
  /** The configured config.yaml section name. */
  configSection: string;
  dialect: DialectId;
  defaultBaseUrl: string;
  /** Path and query appended to the credential's base URL; `undefined` when the operation is not offered. */
  endpoint(context: EndpointContext): string | undefined;
  authHeaders(apiKey: string): Record<string, string>;
  /** Headers every request to this provider carries (before the entry's own `headers`). */
  defaultHeaders?: Record<string, string>;
  /** Models served when the config entry lists none. */
  builtinModels: BuiltinModel[];
  /** The upstream only streams (Codex): non-streamed client requests are collected from a stream. */
  streamOnly?: boolean;
  /** How this upstream's token-count endpoint takes the encoded request and reports the count. */
  countTokens?: {
    body(encoded: Record<string, unknown>, model: string): Record<string, unknown>;
    read(response: unknown): number | undefined;
  };
  /** Last adjustments of the encoded body that this upstream needs (e.g. Codex rejects some parameters). */
  adjustBody?(body: Record<string, unknown>, context: EndpointContext): void;
}
