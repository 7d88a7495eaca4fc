import type { DialectId } from './dialect-id.ts';
import type { GatewayError } from './gateway-error.ts';
import type { CanonicalRequest } from './request.ts';
import type { CanonicalResponse } from './response.ts';
import type { StreamPart } from './stream-part.ts';
import type { Usage } from './usage.ts';

/** One server-sent event as the byte-level SSE parser yields it. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Facts about the HTTP request that are not in the body (Gemini puts model and stream in the URL). */
export interface DecodeRequestContext {
  model?: string;
  stream?: boolean;
}

export interface EncodeRequestContext {
  /** The upstream model name (after alias resolution and suffix stripping). */
  model: string;
  stream: boolean;
}

export interface EncodeResponseContext {
  /** The model name the client asked for; responses echo it back. */
  model: string;
  /** The decoded client request (Responses echoes its parameters; OpenAI Chat reads `include_usage` from its extensions). */
  request: CanonicalRequest;
}

/** Stateful transform from upstream SSE events to canonical parts. */
export interface StreamDecoder {
  decode(event: SseEvent): StreamPart[];
  /** Called at end of input: emits whatever closes the stream (a `finish`, or an `error` when the upstream stream was cut). */
  flush(): StreamPart[];
}

/** Stateful transform from canonical parts to the bytes (SSE text or JSON-array pieces) of a client dialect. */
export interface StreamEncoder {
  encode(part: StreamPart): string;
  /** Trailer after the last part (e.g. `data: [DONE]`, the closing `]` of a Gemini JSON array). */
  end(): string;
}

export interface ErrorRendering {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What a dialect knows about an upstream error body it produced. */
export interface DecodedUpstreamError {
  message: string;
  type?: string;
}

export interface StreamEncoderOptions extends EncodeResponseContext {
  /** Gemini without `?alt=sse` streams a JSON array instead of SSE. */
  jsonArray?: boolean;
}

/**
 * The client-facing half of a dialect: what the server needs to accept a request and answer it.
 * Legacy OpenAI Completions is client-only, so it implements just this.
 */
export interface ClientCodec {
  /** A dialect id, or another name for client-only formats (never equal to a provider's dialect, so no passthrough). */
  id: string;
  decodeRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest;
  encodeResponse(response: CanonicalResponse, context: EncodeResponseContext): unknown;
  createStreamEncoder(options: StreamEncoderOptions): StreamEncoder;
  encodeError(error: GatewayError): ErrorRendering;
  /** An in-stream error event, for failures after the first byte reached the client. */
  encodeStreamError(error: GatewayError, options: StreamEncoderOptions): string;
}

/**
 * A dialect: pure functions (no I/O) between its wire format and the canonical representation.
 * Each implementation lives in `src/dialects/<id>/`.
 */
export interface DialectCodec extends ClientCodec {
  id: DialectId;
  encodeRequest(request: CanonicalRequest, context: EncodeRequestContext): Record<string, unknown>;
  decodeResponse(body: unknown): CanonicalResponse;
  /**
   * The usage a plain answer reports, read from its bytes without decoding the rest (all that a
   * passthrough answer is needed for); undefined when not found that way, and the caller decodes
   * the whole answer.
   */
  readResponseUsage(body: Buffer): Usage | undefined;
  createStreamDecoder(): StreamDecoder;
  decodeError(status: number, bodyText: string): DecodedUpstreamError;
}
