import { geminiCodec } from '../../dialects/gemini/index.ts';
import { decodeGeminiCountTokensRequest, encodeGeminiCountTokensResponse } from '../../dialects/gemini/count-tokens.ts';
import { countRequestTokens } from '../../gateway/count-tokens.ts';
import { forwardEmbedding } from '../../gateway/forward-embedding.ts';
import { handleGeneration } from '../../gateway/generate.ts';
import { generationContextOf } from './generation-route.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import { abortOnClose } from '../../transport/abort-on-close.ts';
import { sendJson, type HttpContext } from '../http-context.ts';
import { parseJsonObject, readBody } from '../read-body.ts';

/** `POST /v1beta/models/{model}:{action}` (and the same under `/v1/models/`, which @google/genai 3 uses). */
export async function geminiActionRoute(context: HttpContext): Promise<void> {
  const model = context.params.model!;
  const action = context.params.action!;
  const rawBody = await readBody(context.req, context.snapshot.config.bodyLimitBytes);
  const body = parseJsonObject(rawBody);
  switch (action) {
    case 'generateContent':
    case 'streamGenerateContent': {
      const stream = action === 'streamGenerateContent';
      await handleGeneration(
        generationContextOf(context, geminiCodec, rawBody, body, {
          decodeContext: { model, stream },
          jsonArrayStream: stream && context.query.get('alt') !== 'sse',
        }),
      );
      return;
    }
    case 'countTokens': {
      const request = decodeGeminiCountTokensRequest(body, model);
      const count = await countRequestTokens(context.runtime, context.snapshot, request, abortOnClose(context.res));
      sendJson(context, 200, encodeGeminiCountTokensResponse(count.inputTokens), count.estimated ? { 'x-switchyard-estimated': 'true' } : undefined);
      return;
    }
    case 'embedContent':
      await forwardEmbedding(context.runtime, context.snapshot, {
        dialect: 'gemini',
        model,
        body,
        res: context.res,
        requestId: context.requestId,
        signal: abortOnClose(context.res),
      });
      return;
    default:
      throw new GatewayError({ status: 404, code: 'not_found', message: `unknown model action ${action}`, retryable: false });
  }
}
