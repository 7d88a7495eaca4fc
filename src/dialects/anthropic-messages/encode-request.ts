import type { EncodeRequestContext } from '../../ir/codec.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { encodeAnthropicMessages } from './encode-messages.ts';
import { planAnthropicThinking } from './encode-thinking.ts';
import { encodeAnthropicToolChoice, encodeAnthropicTools } from './encode-tools.ts';
import { type AnthropicRequestExtension, anthropicExtension } from './extensions.ts';

/** A canonical request as a Messages API body for an Anthropic upstream. */
export function encodeAnthropicRequest(request: CanonicalRequest, context: EncodeRequestContext): Record<string, unknown> {
  const extension = anthropicExtension<AnthropicRequestExtension>(request.extensions);
  const passthrough = extension?.passthrough;
  // Fields only a Claude client sends (context_management, service_tier, container, mcp_servers...) go back
  // first, so every mapped field below wins over a stale copy.
  const body: Record<string, unknown> = { ...passthrough };
  body.model = context.model;

  const { system, messages } = encodeAnthropicMessages(request.messages);
  const plan = planAnthropicThinking(request, extension, messages);
  body.max_tokens = plan.maxTokens;

  if (system.length > 0) body.system = system;
  body.messages = messages;

  const tools = encodeAnthropicTools(request.tools, extension);
  if (tools.length > 0) {
    body.tools = tools;
    // Claude rejects tool_choice without tools.
    const toolChoice = encodeAnthropicToolChoice(request.toolChoice, request.parallelToolCalls);
    if (toolChoice) body.tool_choice = toolChoice;
  }

  if (request.stopSequences && request.stopSequences.length > 0) body.stop_sequences = request.stopSequences;
  // With thinking on, Claude rejects temperature and top_k and restricts top_p: sampling settings meant for
  // a non-thinking call are dropped rather than failing the request.
  if (!plan.thinkingOn) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    // Claude 4.1 and later reject temperature together with top_p; temperature is the more common intent.
    else if (request.topP !== undefined) body.top_p = request.topP;
    if (request.topK !== undefined) body.top_k = request.topK;
  }
  if (plan.thinking) body.thinking = plan.thinking;

  const outputConfig: Record<string, unknown> = isRecord(passthrough?.output_config) ? { ...passthrough.output_config } : {};
  if (plan.effort !== undefined) outputConfig.effort = plan.effort;
  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    const wireFormat = { type: 'json_schema', schema: format.schema };
    if (extension?.formatInOutputFormat) body.output_format = wireFormat;
    else outputConfig.format = wireFormat;
  }
  // {type:"json"} (JSON without a schema) has no Claude field; it is left to the prompt rather than faked
  // with a schema that would constrain the answer differently.
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;

  if (request.user !== undefined) {
    body.metadata = { ...(isRecord(passthrough?.metadata) ? passthrough.metadata : undefined), user_id: request.user };
  }
  if (context.stream) body.stream = true;
  return body;
}
