import type { EncodeResponseContext } from '../../../ir/codec.ts';
import type { CanonicalResponse } from '../../../ir/response.ts';
import { openaiStyleResponseId } from '../response-id.ts';
import { encodeOpenaiCompletionsUsage } from './encode-usage.ts';
import { encodeOpenaiCompletionsFinishReason } from './map-finish-reason.ts';

export function encodeOpenaiCompletionsResponse(response: CanonicalResponse, context: EncodeResponseContext): Record<string, unknown> {
  let text = '';
  // Reasoning has no field in a text completion; only the answer text goes out.
  for (const part of response.content) if (part.type === 'text') text += part.text;
  return {
    id: openaiStyleResponseId(response.id, 'cmpl-'),
    object: 'text_completion',
    created: response.created,
    model: context.model,
    choices: [{ text, index: 0, logprobs: null, finish_reason: encodeOpenaiCompletionsFinishReason(response.finishReason) }],
    usage: encodeOpenaiCompletionsUsage(response.usage),
  };
}
