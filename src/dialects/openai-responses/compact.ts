import type { DecodeRequestContext } from '../../ir/codec.ts';
import { GatewayError, invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { isRecord } from '../shared/json-fields.ts';
import { COMPACTION_PROMPT, encodeCompactionContent } from './compaction-summary.ts';
import { decodeResponsesRequest } from './decode-request.ts';
import { encodeResponsesInput } from './encode-input.ts';
import { extensionFlag, ownExtension, responsesExtension } from './extensions.ts';
import { newResponsesId } from './ids.ts';
import { encodeResponsesUsage } from './map-usage.ts';
import { compactionItem } from './output-items.ts';

/**
 * `POST /v1/responses/compact`, served by any upstream.
 *
 * Contract (OpenAI): the body is `{model, input, instructions?, previous_response_id?,
 * prompt_cache_key?, service_tier?, …}` (Codex sends model, input and instructions). The answer is
 * `{id: "resp_…", object: "response.compaction", created_at, output, usage}` where `output` is every
 * user message of the input followed by one `{type: "compaction", id: "cmp_…", encrypted_content}`
 * item; the client replaces its history with that output and sends it as input from then on.
 *
 * Switchyard's version: the conversation plus a summarisation prompt goes to the upstream as an
 * ordinary non-streamed request, and the summary comes back inside the compaction item (see
 * `compaction-summary.ts`); when the client later sends that item, it is decoded into a user
 * message holding the summary. An OpenAI compaction item found in the input cannot be read by
 * another provider and is dropped for it (an OpenAI upstream receives it unchanged).
 */
export function decodeResponsesCompactRequest(body: unknown, context: DecodeRequestContext = {}): CanonicalRequest {
  if (!isRecord(body)) throw invalidRequest('body: must be a JSON object');
  // Compaction is one plain answer whatever the body says.
  const request = decodeResponsesRequest({ ...body, stream: false }, context);
  request.stream = false;
  const trigger = extensionFlag(request.extensions, 'compactionTrigger');
  if (!trigger) {
    request.messages.push({
      role: 'user',
      content: [{ type: 'text', text: COMPACTION_PROMPT }],
      extensions: responsesExtension({ compactionPrompt: true }),
    });
  }
  if (request.tools) request.toolChoice = { type: 'none' };
  const own: Record<string, unknown> = { ...ownExtension(request.extensions), compact: true };
  delete own.compactionTrigger;
  request.extensions = responsesExtension(own);
  return request;
}

/**
 * The user messages a compacted history keeps: the client's own, not earlier summaries (the new
 * summary covers them) nor our prompt, and without the items that rode along on them.
 */
function keptUserMessages(request: CanonicalRequest): CanonicalMessage[] {
  const kept: CanonicalMessage[] = [];
  for (const message of request.messages) {
    if (message.role !== 'user') continue;
    if (extensionFlag(message.extensions, 'compactionPrompt') || extensionFlag(message.extensions, 'compactionSummary')) continue;
    kept.push({ role: 'user', content: message.content });
  }
  return kept;
}

export function encodeResponsesCompactResponse(response: CanonicalResponse, request: CanonicalRequest): Record<string, unknown> {
  let summary = '';
  for (const part of response.content) if (part.type === 'text') summary += part.text;
  if (summary.trim() === '') {
    throw new GatewayError({ status: 502, code: 'upstream_error', message: 'the upstream model returned an empty compaction summary' });
  }
  const { input } = encodeResponsesInput(keptUserMessages(request), undefined);
  const output: Record<string, unknown>[] = input.map((item) => ({ id: newResponsesId('msg_'), ...item, status: 'completed' }));
  output.push(compactionItem(newResponsesId('cmp_'), encodeCompactionContent(summary)));
  return {
    id: newResponsesId('resp_'),
    object: 'response.compaction',
    created_at: response.created,
    output,
    usage: encodeResponsesUsage(response.usage),
  };
}
