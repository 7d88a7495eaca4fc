import type { EncodeResponseContext } from '../../ir/codec.ts';
import type { TextPart } from '../../ir/content.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { encodeResponsesTextFormat, encodeResponsesToolChoice, encodeResponsesTools } from './encode-tools.ts';
import { extensionFlag, ownExtension } from './extensions.ts';

export interface ResponseState {
  id: string;
  createdAt: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  error: Record<string, unknown> | null;
  incompleteDetails: Record<string, unknown> | null;
  output: unknown[];
  usage: Record<string, unknown> | null;
}

function instructionsOf(request: CanonicalRequest): string | null {
  const texts: string[] = [];
  for (const message of request.messages) {
    if (message.role === 'system' && extensionFlag(message.extensions, 'instructions')) {
      texts.push(...message.content.map((part: TextPart) => part.text));
    }
  }
  return texts.length > 0 ? texts.join('\n\n') : null;
}

/**
 * The response object, echoing the request's parameters as OpenAI does (field order as OpenAI
 * writes it). Unknown values are null rather than invented defaults; `store` is false because the
 * gateway stores nothing.
 */
export function buildResponseObject(state: ResponseState, context: EncodeResponseContext): Record<string, unknown> {
  const request = context.request;
  const own = ownExtension(request.extensions);
  const passthrough = isRecord(own?.passthrough) ? own.passthrough : {};
  const text: Record<string, unknown> = {
    format: request.responseFormat ? encodeResponsesTextFormat(request.responseFormat) : { type: 'text' },
  };
  if (typeof own?.verbosity === 'string') text.verbosity = own.verbosity;
  return {
    id: state.id,
    object: 'response',
    created_at: state.createdAt,
    status: state.status,
    background: false,
    error: state.error,
    incomplete_details: state.incompleteDetails,
    instructions: instructionsOf(request),
    max_output_tokens: request.maxOutputTokens ?? null,
    max_tool_calls: passthrough.max_tool_calls ?? null,
    model: context.model,
    output: state.output,
    parallel_tool_calls: request.parallelToolCalls ?? true,
    previous_response_id: null,
    prompt_cache_key: passthrough.prompt_cache_key ?? null,
    reasoning: {
      effort: request.reasoning?.effort ?? null,
      summary: typeof own?.reasoningSummary === 'string' ? own.reasoningSummary : null,
    },
    safety_identifier: passthrough.safety_identifier ?? null,
    service_tier: passthrough.service_tier ?? null,
    store: false,
    temperature: request.temperature ?? null,
    text,
    tool_choice: encodeResponsesToolChoice(request) ?? 'auto',
    tools: encodeResponsesTools(request),
    top_logprobs: passthrough.top_logprobs ?? 0,
    top_p: request.topP ?? null,
    truncation: passthrough.truncation ?? 'disabled',
    usage: state.usage,
    user: request.user ?? null,
    metadata: passthrough.metadata ?? {},
  };
}
