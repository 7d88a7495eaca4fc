import type { EncodeRequestContext } from '../../ir/codec.ts';
import type { ReasoningConfig, ReasoningEffort } from '../../ir/reasoning.ts';
import { resolveReasoningEffort } from '../../ir/reasoning.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { encodeResponsesInput } from './encode-input.ts';
import { encodeResponsesTextFormat, encodeResponsesToolChoice, encodeResponsesTools } from './encode-tools.ts';
import { ownExtension } from './extensions.ts';

/** OpenAI has no effort above xhigh. */
function openaiEffort(effort: ReasoningEffort): ReasoningEffort {
  return effort === 'max' ? 'xhigh' : effort;
}

function encodeReasoning(config: ReasoningConfig, summary: unknown): Record<string, unknown> | undefined {
  const reasoning: Record<string, unknown> = {};
  if (config.enabled) {
    // Adaptive or unspecified depth: leave the effort to the model's default.
    if (!config.adaptive && (config.effort !== undefined || config.budgetTokens !== undefined)) {
      reasoning.effort = openaiEffort(resolveReasoningEffort(config, 'medium'));
    }
  } else if (config.effort !== undefined) {
    // Only an explicit low effort turns reasoning down: older models reject "none".
    reasoning.effort = openaiEffort(config.effort);
  }
  if (typeof summary === 'string') reasoning.summary = summary;
  // Unless the client said otherwise, reasoning it turned on is shown (as the other encoders do).
  else if (config.enabled && config.includeThoughts !== false) reasoning.summary = 'auto';
  return Object.keys(reasoning).length > 0 ? reasoning : undefined;
}

export function encodeResponsesRequest(request: CanonicalRequest, context: EncodeRequestContext): Record<string, unknown> {
  const own = ownExtension(request.extensions);
  const { instructions, input } = encodeResponsesInput(request.messages, own?.trailingItems);
  const body: Record<string, unknown> = { model: context.model };
  if (instructions !== undefined) body.instructions = instructions;
  body.input = input;

  const tools = encodeResponsesTools(request);
  if (tools.length > 0) body.tools = tools;
  const toolChoice = encodeResponsesToolChoice(request);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // The Responses API has no stop sequences and no top_k: both are dropped.

  const text: Record<string, unknown> = {};
  if (request.responseFormat) text.format = encodeResponsesTextFormat(request.responseFormat);
  if (typeof own?.verbosity === 'string') text.verbosity = own.verbosity;
  if (Object.keys(text).length > 0) body.text = text;
  if (request.reasoning) {
    const reasoning = encodeReasoning(request.reasoning, own?.reasoningSummary);
    if (reasoning) body.reasoning = reasoning;
  }
  if (request.user !== undefined) body.user = request.user;
  body.stream = context.stream;

  const passthrough = own?.passthrough;
  if (isRecord(passthrough)) {
    for (const [key, value] of Object.entries(passthrough)) {
      // stream_options is rejected on a non-streamed request.
      if (key !== 'stream_options' || context.stream) body[key] = value;
    }
  }
  // Stateless gateway: nothing ever refers back to a stored response, so do not leave one behind.
  body.store ??= false;
  return body;
}
