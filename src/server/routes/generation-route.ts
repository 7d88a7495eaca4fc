import type { ClientCodec } from '../../ir/codec.ts';
import { handleGeneration } from '../../gateway/generate.ts';
import { parseJsonObject, readBody } from '../read-body.ts';
import type { HttpContext, RouteHandler } from '../http-context.ts';

/** A POST route whose body is a generation request in `codec`'s dialect. */
export function generationRoute(codec: ClientCodec): RouteHandler {
  return async (context: HttpContext) => {
    const body = parseJsonObject(await readBody(context.req, context.snapshot.config.bodyLimitBytes));
    await handleGeneration({
      runtime: context.runtime,
      snapshot: context.snapshot,
      clientCodec: codec,
      body,
      decodeContext: {},
      jsonArrayStream: false,
      req: context.req,
      res: context.res,
      requestId: context.requestId,
      clientKey: context.clientKey,
      receivedAt: context.receivedAt,
    });
  };
}
