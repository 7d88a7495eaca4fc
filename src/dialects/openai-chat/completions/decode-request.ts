import type { DecodeRequestContext } from '../../../ir/codec.ts';
import { invalidRequest } from '../../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../../ir/request.ts';
import { isRecord, optionalJsonBoolean } from '../../shared/json-fields.ts';
import {
  decodeOpenaiChatModel,
  decodeOpenaiChatSampling,
  decodeOpenaiChatUserAndExtensions,
  type OpenaiChatEndpointFields,
} from '../decode-shared-fields.ts';
import { optionalOpenaiChatInteger } from '../json-values.ts';

const COMPLETIONS_FIELDS: OpenaiChatEndpointFields = {
  content: 'prompt',
  maxCompletionTokens: false,
  topK: false,
  passthrough: ['frequency_penalty', 'presence_penalty', 'logit_bias', 'seed'],
};

function decodePrompt(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) throw invalidRequest('prompt: must be a string or a non-empty array of strings');
  value.forEach((entry, index) => {
    if (typeof entry !== 'string') throw invalidRequest(`prompt[${index}]: token arrays are not supported; send text`);
  });
  // A batch of prompts would be several completions; the gateway answers one, so they form one message.
  return value.join('\n');
}

/** Legacy `POST /v1/completions`: the prompt becomes one user message; `suffix` and `logprobs` are ignored. */
export function decodeOpenaiCompletionsRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  if (!isRecord(body)) throw invalidRequest('body: must be a JSON object');
  const model = decodeOpenaiChatModel(body, context, COMPLETIONS_FIELDS);
  const bestOf = optionalOpenaiChatInteger(body.best_of, 'best_of');
  if (bestOf !== undefined && bestOf > 1) throw invalidRequest('best_of: only best_of=1 is supported');
  if (optionalJsonBoolean(body.echo, 'echo') === true) throw invalidRequest('echo: echoing the prompt is not supported');

  const request: CanonicalRequest = {
    model,
    messages: [{ role: 'user', content: [{ type: 'text', text: decodePrompt(body.prompt) }] }],
    stream: optionalJsonBoolean(body.stream, 'stream') ?? context.stream ?? false,
  };
  decodeOpenaiChatSampling(body, request, COMPLETIONS_FIELDS);
  decodeOpenaiChatUserAndExtensions(body, request, COMPLETIONS_FIELDS);
  return request;
}
