import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientCodec, DecodeRequestContext } from '../ir/codec.ts';
import type { GatewayRuntime, RuntimeSnapshot } from './runtime.ts';

/** One client request for a model generation, as the HTTP layer hands it to the gateway core. */
export interface GenerationContext {
  runtime: GatewayRuntime;
  snapshot: RuntimeSnapshot;
  clientCodec: ClientCodec;
  body: Record<string, unknown>;
  /** The body as received, for the request log files. */
  rawBody: Buffer;
  /** The route's path, e.g. `/v1/messages`. */
  pathname: string;
  decodeContext: DecodeRequestContext;
  /** Gemini `streamGenerateContent` without `?alt=sse` streams a JSON array. */
  jsonArrayStream: boolean;
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  /** The client key the request authenticated with ('' when none was needed). */
  clientKey: string;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
  /** Epoch ms when the request arrived. */
  receivedAtEpoch: number;
}
