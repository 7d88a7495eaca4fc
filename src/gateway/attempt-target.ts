import { performance } from 'node:perf_hooks';
import { dialectCodecs } from '../dialects/index.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import type { CanonicalRequest } from '../ir/request.ts';
import type { Usage } from '../ir/usage.ts';
import type { RouteTarget } from '../routing/model-registry.ts';
import { carriesForeignReasoning } from './foreign-reasoning.ts';
import { renameModelInRawBody } from './passthrough-body.ts';
import { utf8Bytes } from '../transport/utf8-bytes.ts';
import { estimateUsage, isUnreportedUsage, responseTextOf } from '../usage/estimate-tokens.ts';
import type { GenerationContext } from './generation-context.ts';
import { routingHeaders, type AttemptTiming } from './response-headers.ts';
import { collectUpstreamStream, relayStream } from './stream-relay.ts';
import { upstreamErrorToGatewayError } from './upstream-error.ts';
import { sendBufferedUpstreamRequest, sendStreamingUpstreamRequest, type BufferedUpstreamResponse, type StreamingUpstreamResponse } from './upstream-request.ts';

/** Headers a client of a dialect sends that the same dialect's upstream needs to see. */
const FORWARDED_HEADERS: Partial<Record<string, readonly string[]>> = {
  'anthropic-messages': ['anthropic-beta', 'anthropic-version'],
};

function asksForStreamUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options;
  return typeof options === 'object' && options !== null && (options as Record<string, unknown>).include_usage === true;
}

/** What an attempt sent and when, for accounting and the request log files. */
export interface AttemptTraceData {
  upstreamUrl: string;
  upstreamRequestBody: string | Buffer;
  /** Upstream time to response headers, ms (undefined when it never answered). */
  firstByteMs?: number;
  /** The upstream's error answer, when it failed before the first byte. */
  upstreamErrorBody?: string;
}

export interface FailedAttempt {
  kind: 'failed';
  error: GatewayError;
  /** The upstream's own error answer, forwarded as is when client and upstream speak the same dialect. */
  raw?: { status: number; body: string; retryAfter?: string };
  trace?: AttemptTraceData;
}

export interface ServedAttempt {
  kind: 'served';
  /** The error that ended a stream after its first byte, if any. */
  error?: GatewayError;
  usage?: Usage;
  costUsd: number;
  trace: AttemptTraceData;
  /** The plain (non-streamed) answer the client got. */
  payload?: string | Buffer;
}

/** How one attempt ended: served (possibly failing after the first byte), failed before it, or abandoned by the client. */
export type AttemptOutcome = ServedAttempt | { kind: 'aborted' } | FailedAttempt;

export interface AttemptRequest {
  request: CanonicalRequest;
  /** The model name as the client sent it; responses echo it. */
  requestedModel: string;
  /** A thinking suffix changed the reasoning settings, so the client's body cannot pass through as is. */
  reasoningFromSuffix: boolean;
}

/**
 * The client's bytes for a passthrough attempt that changes nothing but the model name, or
 * undefined when the body must be serialised again (see renameModelInRawBody).
 */
function rawPassthroughBody(context: GenerationContext, dialect: string, upstreamModel: string): Buffer | undefined {
  if (dialect === 'gemini') return context.rawBody;
  const model = context.body.model;
  if (typeof model !== 'string') return undefined;
  return model === upstreamModel ? context.rawBody : renameModelInRawBody(context.rawBody, model, upstreamModel);
}

/**
 * One upstream attempt: encode (or pass through) the request for the target's dialect, call the
 * upstream, and on success write the answer to the client. A failure before the first byte is
 * returned, not written, so the caller may try another credential.
 */
export async function attemptTarget(
  context: GenerationContext,
  { request, requestedModel, reasoningFromSuffix }: AttemptRequest,
  target: RouteTarget,
  attempts: number,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const { provider } = target;
  const upstreamCodec = dialectCodecs[provider.dialect];
  const sameDialect = context.clientCodec.id === provider.dialect;
  const upstreamStream = request.stream || provider.streamOnly === true;
  const endpoint = { model: target.upstreamModel, stream: upstreamStream, operation: 'generate' as const };

  const passthrough = sameDialect && !reasoningFromSuffix && !carriesForeignReasoning(request, provider.dialect);
  // An OpenAI Chat stream reports usage only when asked, and accounting always needs it (the encoder
  // always asks). A client that did not ask gets the stream re-encoded, without the usage chunk.
  const unaskedUsage = sameDialect && upstreamStream && provider.dialect === 'openai-chat' && !asksForStreamUsage(context.body);
  let upstreamBody: string | Buffer | undefined = passthrough && !unaskedUsage && !provider.adjustBody ? rawPassthroughBody(context, provider.dialect, target.upstreamModel) : undefined;
  if (upstreamBody === undefined) {
    // Passthrough: the client's own body, only the model renamed (Gemini carries it in the URL).
    const body = passthrough
      ? provider.dialect === 'gemini'
        ? { ...context.body }
        : { ...context.body, model: target.upstreamModel }
      : upstreamCodec.encodeRequest(request, { model: target.upstreamModel, stream: upstreamStream });
    if (unaskedUsage) body.stream_options = { ...(body.stream_options as Record<string, unknown> | undefined), include_usage: true };
    provider.adjustBody?.(body, endpoint);
    upstreamBody = utf8Bytes(JSON.stringify(body));
  }

  let forwardedHeaders: Record<string, string> | undefined;
  const forwardNames = sameDialect ? FORWARDED_HEADERS[provider.dialect] : undefined;
  if (forwardNames) {
    forwardedHeaders = {};
    for (const name of forwardNames) {
      const value = context.req.headers[name];
      if (typeof value === 'string') forwardedHeaders[name] = value;
    }
  }

  const timing: AttemptTiming = { receivedAt: context.receivedAt, dispatchedAt: performance.now(), answeredAt: 0 };
  const call = { target, endpoint, body: upstreamBody, forwardedHeaders, signal, timeouts: context.snapshot.config.upstreamTimeouts };
  const trace: AttemptTraceData = { upstreamUrl: target.credential.baseUrl + (provider.endpoint(endpoint) ?? ''), upstreamRequestBody: call.body };
  let response: StreamingUpstreamResponse | BufferedUpstreamResponse;
  try {
    response = upstreamStream
      ? await sendStreamingUpstreamRequest(context.runtime.dispatchers, context.snapshot.config.proxyUrl, call)
      : await sendBufferedUpstreamRequest(context.runtime.dispatchers, context.snapshot.config.proxyUrl, call);
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    if (error instanceof GatewayError) return { kind: 'failed', error, trace };
    throw error;
  }
  timing.answeredAt = performance.now();
  trace.firstByteMs = timing.answeredAt - timing.dispatchedAt;

  if (response.statusCode >= 400) {
    // Both senders read an error status whole: its body is the error's text.
    const text = (response.body as Buffer).toString('utf8');
    const retryAfter = response.headers['retry-after'];
    const error = upstreamErrorToGatewayError(upstreamCodec, response.statusCode, text, retryAfter);
    trace.upstreamErrorBody = text;
    return {
      kind: 'failed',
      error,
      trace,
      raw: sameDialect ? { status: response.statusCode, body: text, retryAfter: typeof retryAfter === 'string' ? retryAfter : error.retryAfter?.toString() } : undefined,
    };
  }

  const headers = routingHeaders(context.requestId, target, attempts, timing);
  const encodeContext = { model: requestedModel, request };
  const { res, clientCodec } = context;

  const priceOf = (usage: Usage | undefined) => (usage ? context.runtime.priceOf(target, usage) : 0);
  let payload: Buffer;
  let usage: Usage;
  if (Buffer.isBuffer(response.body)) {
    // The same dialect gets the upstream's bytes, and accounting and the usage headers need only its
    // figures: an answer that reports them is forwarded as a proxy forwards it, not checked further.
    const reported = sameDialect ? upstreamCodec.readResponseUsage(response.body) : undefined;
    if (reported !== undefined && !isUnreportedUsage(reported)) {
      usage = reported;
      payload = response.body;
    } else {
      const decoded = upstreamCodec.decodeResponse(JSON.parse(response.body.toString('utf8')));
      usage = isUnreportedUsage(decoded.usage) ? await estimateUsage(request, { text: responseTextOf(decoded) }) : decoded.usage;
      payload = sameDialect ? response.body : utf8Bytes(JSON.stringify(clientCodec.encodeResponse(decoded, encodeContext)));
    }
  } else if (request.stream) {
    const passthrough = sameDialect && !context.jsonArrayStream && !unaskedUsage;
    context.runtime.activeStreams++;
    const relayed = await relayStream({
      upstream: response.body,
      res,
      headers,
      passthrough,
      decoder: upstreamCodec.createStreamDecoder(),
      encoder: clientCodec.createStreamEncoder({ ...encodeContext, jsonArray: context.jsonArrayStream }),
      clientCodec,
      encoderOptions: { ...encodeContext, jsonArray: context.jsonArrayStream },
      signal,
    }).finally(() => context.runtime.activeStreams--);
    const streamed = isUnreportedUsage(relayed.usage) ? await estimateUsage(request, { characters: relayed.outputCharacters }) : relayed.usage;
    return { kind: 'served', error: relayed.error, usage: streamed, costUsd: priceOf(streamed), trace };
  } else {
    const collected = await collectUpstreamStream(response.body, upstreamCodec.createStreamDecoder(), signal);
    if (signal.aborted) return { kind: 'aborted' };
    if (collected.error) return { kind: 'failed', error: collected.error, trace };
    usage = isUnreportedUsage(collected.response.usage)
      ? await estimateUsage(request, { text: responseTextOf(collected.response) })
      : collected.response.usage;
    payload = utf8Bytes(JSON.stringify(clientCodec.encodeResponse(collected.response, encodeContext)));
  }
  const costUsd = priceOf(usage);
  res.writeHead(200, {
    ...headers,
    'x-switchyard-tokens-in': String(usage.inputTokens),
    'x-switchyard-tokens-out': String(usage.outputTokens),
    'x-switchyard-cost': costUsd.toFixed(6),
    ...(usage.estimated ? { 'x-switchyard-tokens-estimated': 'true' } : {}),
    'content-type': 'application/json',
    'content-length': payload.length,
  });
  res.end(payload);
  return { kind: 'served', usage, costUsd, trace, payload };
}
