import type { DecodeRequestContext } from '../../ir/codec.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { expectRecord, optionalJsonBoolean, optionalJsonNumber, optionalJsonString } from '../shared/json-fields.ts';
import type { OpenaiChatRequestExtensions } from './extensions.ts';
import { optionalOpenaiChatInteger, optionalOpenaiChatStop } from './json-values.ts';

// The request fields Chat Completions and legacy Completions share. They come in three steps because
// Chat reads its own fields in between: the order of the reads decides which error a request with
// several bad fields gets.

/** Where the two endpoints differ in the fields they share. */
export interface OpenaiChatEndpointFields {
  /** The body field holding the conversation (`messages`) or the text to complete (`prompt`). */
  content: 'messages' | 'prompt';
  /** Chat's newer name for `max_tokens`; the extensions remember it so a Chat upstream gets it back. */
  maxCompletionTokens: boolean;
  /** Not OpenAI, but vLLM, llama.cpp and OpenRouter clients send it to Chat. */
  topK: boolean;
  /** Parameters without an IR field that an OpenAI Chat upstream takes under the same names. */
  passthrough: readonly string[];
}

/** The model (the body's, else the route's), after checking the content field is there and `n` is 1. */
export function decodeOpenaiChatModel(
  body: Record<string, unknown>,
  context: DecodeRequestContext,
  fields: OpenaiChatEndpointFields,
): string {
  const model = optionalJsonString(body.model, 'model') || context.model;
  if (!model) throw invalidRequest('model: is required');
  if (body[fields.content] === undefined || body[fields.content] === null) throw invalidRequest(`${fields.content}: is required`);
  const n = optionalOpenaiChatInteger(body.n, 'n');
  if (n !== undefined && n > 1) throw invalidRequest('n: only n=1 is supported');
  return model;
}

/** Output length, sampling and stop sequences. */
export function decodeOpenaiChatSampling(body: Record<string, unknown>, request: CanonicalRequest, fields: OpenaiChatEndpointFields): void {
  const maxOutputTokens =
    (fields.maxCompletionTokens ? optionalOpenaiChatInteger(body.max_completion_tokens, 'max_completion_tokens') : undefined) ??
    optionalOpenaiChatInteger(body.max_tokens, 'max_tokens');
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  const temperature = optionalJsonNumber(body.temperature, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalJsonNumber(body.top_p, 'top_p');
  if (topP !== undefined) request.topP = topP;
  if (fields.topK) {
    const topK = optionalOpenaiChatInteger(body.top_k, 'top_k');
    if (topK !== undefined) request.topK = topK;
  }
  const stop = optionalOpenaiChatStop(body.stop, 'stop');
  if (stop !== undefined) request.stopSequences = stop;
}

/**
 * `user`, then the extensions. They live under the `openai-chat` key for both endpoints (the IR has
 * no key for client-only formats): the stream encoders read `includeUsage`, and an OpenAI Chat
 * upstream gets the passthrough fields.
 */
export function decodeOpenaiChatUserAndExtensions(
  body: Record<string, unknown>,
  request: CanonicalRequest,
  fields: OpenaiChatEndpointFields,
): void {
  const user = optionalJsonString(body.user, 'user');
  if (user !== undefined) request.user = user;
  const extensions = decodeExtensions(body, fields);
  if (extensions !== undefined) request.extensions = { 'openai-chat': { ...extensions } };
}

function decodeExtensions(body: Record<string, unknown>, fields: OpenaiChatEndpointFields): OpenaiChatRequestExtensions | undefined {
  const extensions: OpenaiChatRequestExtensions = {};
  if (body.stream_options !== undefined && body.stream_options !== null) {
    const options = expectRecord(body.stream_options, 'stream_options');
    if (optionalJsonBoolean(options.include_usage, 'stream_options.include_usage') === true) extensions.includeUsage = true;
  }
  if (fields.maxCompletionTokens && body.max_completion_tokens !== undefined && body.max_completion_tokens !== null) {
    extensions.maxCompletionTokens = true;
  }
  let passthrough: Record<string, unknown> | undefined;
  for (const field of fields.passthrough) {
    const value = body[field];
    if (value !== undefined && value !== null) (passthrough ??= {})[field] = value;
  }
  if (passthrough) extensions.passthrough = passthrough;
  return Object.keys(extensions).length > 0 ? extensions : undefined;
}
