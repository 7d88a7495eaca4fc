import { decodeResponsesCompactRequest, encodeResponsesCompactResponse } from '../../dialects/openai-responses/compact.ts';
import { openaiResponsesCodec } from '../../dialects/openai-responses/index.ts';
import type { ClientCodec } from '../../ir/codec.ts';
import { generationRoute } from './generation-route.ts';

/**
 * `POST /v1/responses/compact` (Codex's remote compaction): the conversation is summarised by
 * whichever upstream serves the model, and the summary comes back as a `compaction` item. The
 * distinct codec id keeps it off the passthrough path, since no upstream dialect answers in this shape.
 */
const responsesCompactCodec: ClientCodec = {
  id: 'openai-responses-compact',
  decodeRequest: (body, context) => decodeResponsesCompactRequest(body, context),
  encodeResponse: (response, context) => encodeResponsesCompactResponse(response, context.request),
  createStreamEncoder: (options) => openaiResponsesCodec.createStreamEncoder(options),
  encodeError: (error) => openaiResponsesCodec.encodeError(error),
  encodeStreamError: (error, options) => openaiResponsesCodec.encodeStreamError(error, options),
};

export const responsesCompactRoute = generationRoute(responsesCompactCodec);
