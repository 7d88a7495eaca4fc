import type { EncodeRequestContext } from '../../ir/codec.ts';
import { resolveReasoningEffort, type ReasoningConfig, type ReasoningEffort } from '../../ir/reasoning.ts';
import type { CanonicalRequest, ResponseFormat } from '../../ir/request.ts';
import type { ToolChoice } from '../../ir/tool.ts';
import { encodeOpenaiChatMessages } from './encode-messages.ts';
import { openaiChatRequestExtensions } from './extensions.ts';

function encodeToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

function encodeResponseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  // OpenAI requires a name; other dialects' schemas come without one.
  const spec: Record<string, unknown> = { name: format.name ?? 'response' };
  if (format.description !== undefined) spec.description = format.description;
  spec.schema = format.schema;
  if (format.strict !== undefined) spec.strict = format.strict;
  return { type: 'json_schema', json_schema: spec };
}

/**
 * Thinking switched off without a level (Claude `disabled`, Gemini budget 0) sends nothing: only
 * some OpenAI models know `none`, and the others reject it. Thinking on without a level or budget
 * (adaptive) leaves the model's own default, which non-reasoning models also accept.
 */
function encodeReasoningEffort(config: ReasoningConfig): ReasoningEffort | undefined {
  if (!config.enabled) return config.effort === 'none' ? 'none' : undefined;
  if (config.effort === undefined && config.budgetTokens === undefined) return undefined;
  return resolveReasoningEffort(config, 'medium');
}

export function encodeOpenaiChatRequest(request: CanonicalRequest, context: EncodeRequestContext): Record<string, unknown> {
  const own = openaiChatRequestExtensions(request.extensions);
  const body: Record<string, unknown> = { model: context.model, messages: encodeOpenaiChatMessages(request.messages) };
  // OpenAI rejects tool_choice and parallel_tool_calls without tools.
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      const fn: Record<string, unknown> = { name: tool.name };
      if (tool.description !== undefined) fn.description = tool.description;
      fn.parameters = tool.parameters;
      if (tool.strict !== undefined) fn.strict = tool.strict;
      return { type: 'function', function: fn };
    });
    if (request.toolChoice) body.tool_choice = encodeToolChoice(request.toolChoice);
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  const effort = request.reasoning ? encodeReasoningEffort(request.reasoning) : undefined;
  if (request.maxOutputTokens !== undefined) {
    // Reasoning models refuse `max_tokens`; older compatible servers only know `max_tokens`.
    const reasoningOn = request.reasoning?.enabled === true;
    body[reasoningOn || own.maxCompletionTokens ? 'max_completion_tokens' : 'max_tokens'] = request.maxOutputTokens;
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // topK is dropped: OpenAI rejects `top_k` as an unknown parameter.
  if (request.stopSequences && request.stopSequences.length > 0) body.stop = request.stopSequences;
  if (request.responseFormat) body.response_format = encodeResponseFormat(request.responseFormat);
  if (effort !== undefined) body.reasoning_effort = effort;
  if (request.user !== undefined) body.user = request.user;
  if (own.passthrough) Object.assign(body, own.passthrough);
  body.stream = context.stream;
  // Usage arrives in streams only when asked for, and the gateway always needs it.
  if (context.stream) body.stream_options = { include_usage: true };
  return body;
}
