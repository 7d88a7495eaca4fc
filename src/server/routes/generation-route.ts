import type { ClientCodec, DecodeRequestContext } from '../../ir/codec.ts';
import { handleGeneration } from '../../gateway/generate.ts';
import type { GenerationContext } from '../../gateway/generation-context.ts';
import { parseJsonObject, readBody } from '../read-body.ts';
import type { HttpContext, RouteHandler } from '../http-context.ts';

/** The gateway-core view of an HTTP request whose body is a generation request in `codec`'s dialect. */
export function generationContextOf(
  context: HttpContext,
  codec: ClientCodec,
  rawBody: Buffer,
  body: Record<string, unknown>,
  options: { decodeContext?: DecodeRequestContext; jsonArrayStream?: boolean } = {},
): GenerationContext {
  return {
    runtime: context.runtime,
    snapshot: context.snapshot,
    clientCodec: codec,
    body,
    rawBody,
    pathname: context.pathname,
    decodeContext: options.decodeContext ?? {},
    jsonArrayStream: options.jsonArrayStream ?? false,
    req: context.req,
    res: context.res,
    requestId: context.requestId,
    clientKey: context.clientKey,
    receivedAt: context.receivedAt,
    receivedAtEpoch: context.receivedAtEpoch,
  };
}

/** A POST route whose body is a generation request in `codec`'s dialect. */
export function generationRoute(codec: ClientCodec): RouteHandler {
  return async (context: HttpContext) => {
    const rawBody = await readBody(context.req, context.snapshot.config.bodyLimitBytes);
    await handleGeneration(generationContextOf(context, codec, rawBody, parseJsonObject(rawBody)));
  };
}
