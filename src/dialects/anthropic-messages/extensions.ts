import type { Extensions } from '../../ir/dialect-id.ts';
import type { Usage } from '../../ir/usage.ts';

export const ANTHROPIC = 'anthropic-messages';

/** A wire content block or tool, kept as the client sent it. */
export type WireBlock = Record<string, unknown>;

/** What this dialect keeps on a content part (or a stream block's start/end part). */
export interface AnthropicPartExtension {
  /** Block fields with no IR equivalent (cache_control, citations, caller, title...), spread back verbatim. */
  fields?: Record<string, unknown>;
  /** Blocks with no IR equivalent (server tool use and results, search results...) that stood just before this part. */
  blocksBefore?: WireBlock[];
}

/** What this dialect keeps on a message, a response, or a stream's `finish`. */
export interface AnthropicContainerExtension {
  /** Blocks with no IR equivalent that came after the last canonical part. */
  blocksAfter?: WireBlock[];
  /** Response-level fields with no IR equivalent (container, stop_details). */
  fields?: Record<string, unknown>;
}

/** What the stream decoder puts on `response-start`: message_start's usage, which an Anthropic client gets up front. */
export interface AnthropicStartExtension {
  usage?: Usage;
}

export interface AnthropicRequestExtension {
  /** Top-level fields the IR does not model (context_management, service_tier, container, mcp_servers, betas...). */
  passthrough?: Record<string, unknown>;
  /** Server tools (`type` set, e.g. web_search_20250305) with their position in `tools`. */
  serverTools?: Array<{ position: number; tool: WireBlock }>;
  /** `thinking` as the client sent it. */
  thinking?: WireBlock;
  /** `output_config.effort` as the client sent it. */
  effort?: string;
  /** JSON of the ReasoningConfig decoded from those two: while the request's reasoning still matches, they are sent back verbatim. */
  reasoningKey?: string;
  /** Structured output came in the beta top-level `output_format` instead of `output_config.format`. */
  formatInOutputFormat?: boolean;
}

export function anthropicExtension<T>(extensions: Extensions | undefined): T | undefined {
  return extensions?.[ANTHROPIC] as T | undefined;
}

/** `undefined` when there is nothing to keep, so IR objects stay free of empty extension records. */
export function toExtensions(value: object): Extensions | undefined {
  for (const key in value) {
    if ((value as Record<string, unknown>)[key] !== undefined) return { [ANTHROPIC]: value as Record<string, unknown> };
  }
  return undefined;
}
