import { decodeAnthropicCountTokensRequest, encodeAnthropicCountTokensResponse } from '../../dialects/anthropic-messages/count-tokens.ts';
import { countRequestTokens } from '../../gateway/count-tokens.ts';
import { sendJson, type HttpContext } from '../http-context.ts';
import { parseJsonObject, readBody } from '../read-body.ts';
import { abortOnClose } from '../../transport/abort-on-close.ts';

/** `POST /v1/messages/count_tokens`, answered by whichever upstream serves the model. */
export async function anthropicCountTokensRoute(context: HttpContext): Promise<void> {
  const body = parseJsonObject(await readBody(context.req, context.snapshot.config.bodyLimitBytes));
  const request = decodeAnthropicCountTokensRequest(body);
  const count = await countRequestTokens(context.runtime, context.snapshot, request, abortOnClose(context.res));
  sendJson(context, 200, encodeAnthropicCountTokensResponse(count.inputTokens), count.estimated ? { 'x-switchyard-estimated': 'true' } : undefined);
}
