import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientCodec } from '../ir/codec.ts';
import type { GatewayRuntime, RuntimeSnapshot } from '../gateway/runtime.ts';

export interface HttpContext {
  req: IncomingMessage;
  res: ServerResponse;
  pathname: string;
  query: URLSearchParams;
  /** Route parameters (Gemini's model and action). */
  params: Record<string, string>;
  runtime: GatewayRuntime;
  snapshot: RuntimeSnapshot;
  requestId: string;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
  /** Epoch ms when the request arrived. */
  receivedAtEpoch: number;
  /** The client key the request authenticated with ('' when none was needed). */
  clientKey: string;
  /** The dialect errors of this route are rendered in. */
  errorCodec: ClientCodec;
}

export type RouteHandler = (context: HttpContext) => Promise<void> | void;

export function sendJson(context: Pick<HttpContext, 'res' | 'requestId'>, status: number, value: unknown, extraHeaders?: Record<string, string>): void {
  const payload = JSON.stringify(value);
  context.res.writeHead(status, {
    ...extraHeaders,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-request-id': context.requestId,
  });
  context.res.end(payload);
}
