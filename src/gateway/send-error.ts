import type { ServerResponse } from 'node:http';
import type { ClientCodec } from '../ir/codec.ts';
import type { GatewayError } from '../ir/gateway-error.ts';

/** What the client was answered, for the request-finished event. */
export interface SentAnswer {
  status: number;
  body: string | Buffer;
}

/** Renders a gateway error in the client's dialect. */
export function sendGatewayError(res: ServerResponse, codec: ClientCodec, error: GatewayError, requestId: string): SentAnswer {
  if (res.headersSent) {
    res.end();
    return { status: res.statusCode, body: '' };
  }
  const rendering = codec.encodeError(error);
  const payload = JSON.stringify(rendering.body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-request-id': requestId,
  };
  // Header names are case-insensitive: lower-case the codec's so none is sent twice.
  for (const [name, value] of Object.entries(rendering.headers ?? {})) headers[name.toLowerCase()] = value;
  if (error.retryAfter !== undefined) headers['retry-after'] ??= String(error.retryAfter);
  res.writeHead(rendering.status, headers);
  res.end(payload);
  return { status: rendering.status, body: payload };
}

/** An upstream error answer forwarded untouched, for clients that speak the upstream's dialect. */
export function sendRawUpstreamError(res: ServerResponse, raw: { status: number; body: string; retryAfter?: string }, requestId: string): SentAnswer {
  if (res.headersSent) {
    res.end();
    return { status: res.statusCode, body: '' };
  }
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(raw.body),
    'x-request-id': requestId,
  };
  if (raw.retryAfter) headers['retry-after'] = raw.retryAfter;
  res.writeHead(raw.status, headers);
  res.end(raw.body);
  return { status: raw.status, body: raw.body };
}
