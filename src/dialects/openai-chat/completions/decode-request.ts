import type { DecodeRequestContext } from '../../../ir/codec.ts';
import { invalidRequest } from '../../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../../ir/request.ts';
import type { OpenaiChatRequestExtensions } from '../extensions.ts';
import {
  expectOpenaiChatObject,
  isOpenaiChatObject,
  optionalOpenaiChatBoolean,
  optionalOpenaiChatInteger,
  optionalOpenaiChatNumber,
  optionalOpenaiChatStop,
  optionalOpenaiChatString,
  type OpenaiChatJsonObject,
} from '../json-values.ts';

/** Parameters an OpenAI Chat upstream takes under the same names; forwarded through its extensions. */
const PASSTHROUGH_FIELDS = ['frequency_penalty', 'presence_penalty', 'logit_bias', 'seed'] as const;

function decodePrompt(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) throw invalidRequest('prompt: must be a string or a non-empty array of strings');
  value.forEach((entry, index) => {
    if (typeof entry !== 'string') throw invalidRequest(`prompt[${index}]: token arrays are not supported; send text`);
  });
  // A batch of prompts would be several completions; the gateway answers one, so they form one message.
  return value.join('\n');
}

/**
 * Extensions live under the `openai-chat` key (the IR has no key for client-only formats): the
 * stream encoder reads `includeUsage`, and an OpenAI Chat upstream gets the passthrough fields.
 */
function decodeExtensions(body: OpenaiChatJsonObject): OpenaiChatRequestExtensions | undefined {
  const extensions: OpenaiChatRequestExtensions = {};
  if (body.stream_options !== undefined && body.stream_options !== null) {
    const options = expectOpenaiChatObject(body.stream_options, 'stream_options');
    if (optionalOpenaiChatBoolean(options.include_usage, 'stream_options.include_usage') === true) extensions.includeUsage = true;
  }
  let passthrough: Record<string, unknown> | undefined;
  for (const field of PASSTHROUGH_FIELDS) {
    if (body[field] !== undefined && body[field] !== null) (passthrough ??= {})[field] = body[field];
  }
  if (passthrough) extensions.passthrough = passthrough;
  return Object.keys(extensions).length > 0 ? extensions : undefined;
}

/** Legacy `POST /v1/completions`: the prompt becomes one user message; `suffix` and `logprobs` are ignored. */
export function decodeOpenaiCompletionsRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  if (!isOpenaiChatObject(body)) throw invalidRequest('body: must be a JSON object');
  const model = optionalOpenaiChatString(body.model, 'model') || context.model;
  if (!model) throw invalidRequest('model: is required');
  if (body.prompt === undefined || body.prompt === null) throw invalidRequest('prompt: is required');
  const n = optionalOpenaiChatInteger(body.n, 'n');
  if (n !== undefined && n > 1) throw invalidRequest('n: only n=1 is supported');
  const bestOf = optionalOpenaiChatInteger(body.best_of, 'best_of');
  if (bestOf !== undefined && bestOf > 1) throw invalidRequest('best_of: only best_of=1 is supported');
  if (optionalOpenaiChatBoolean(body.echo, 'echo') === true) throw invalidRequest('echo: echoing the prompt is not supported');

  const request: CanonicalRequest = {
    model,
    messages: [{ role: 'user', content: [{ type: 'text', text: decodePrompt(body.prompt) }] }],
    stream: optionalOpenaiChatBoolean(body.stream, 'stream') ?? context.stream ?? false,
  };
  const maxTokens = optionalOpenaiChatInteger(body.max_tokens, 'max_tokens');
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = optionalOpenaiChatNumber(body.temperature, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalOpenaiChatNumber(body.top_p, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const stop = optionalOpenaiChatStop(body.stop, 'stop');
  if (stop !== undefined) request.stopSequences = stop;
  const user = optionalOpenaiChatString(body.user, 'user');
  if (user !== undefined) request.user = user;
  const extensions = decodeExtensions(body);
  if (extensions !== undefined) request.extensions = { 'openai-chat': { ...extensions } };
  return request;
}
