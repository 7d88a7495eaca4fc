import type { Extensions } from '../../ir/dialect-id.ts';

/** What this dialect keeps under `extensions['openai-chat']` of a decoded request. */
export interface OpenaiChatRequestExtensions {
  /** `stream_options.include_usage`: the stream encoder sends the usage chunk only when asked. */
  includeUsage?: boolean;
  /** The client used `max_completion_tokens`, so a same-dialect upstream gets that field back. */
  maxCompletionTokens?: boolean;
  /** Sampling/storage parameters the IR has no field for, re-sent verbatim to an OpenAI Chat upstream. */
  passthrough?: Record<string, unknown>;
}

export function readOpenaiChatExtensions(extensions: Extensions | undefined): Record<string, unknown> | undefined {
  return extensions?.['openai-chat'];
}

export function openaiChatRequestExtensions(extensions: Extensions | undefined): OpenaiChatRequestExtensions {
  return (extensions?.['openai-chat'] ?? {}) as OpenaiChatRequestExtensions;
}
