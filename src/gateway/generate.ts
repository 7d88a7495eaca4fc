import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { dialectCodecs } from '../dialects/index.ts';
import type { CanonicalRequest } from '../ir/request.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import type { RouteTarget } from '../routing/model-registry.ts';
import { parseThinkingSuffix } from '../routing/thinking-suffix.ts';
import type { GenerationContext } from './generation-context.ts';
import { routingHeaders, type AttemptTiming } from './response-headers.ts';
import { collectUpstreamStream, relayStream } from './stream-relay.ts';
import { upstreamErrorToGatewayError } from './upstream-error.ts';
import { sendBufferedUpstreamRequest, sendUpstreamRequest, type BufferedUpstreamResponse } from './upstream-request.ts';
import { sendGatewayError, sendRawUpstreamError } from './send-error.ts';
import { abortOnClose } from '../transport/abort-on-close.ts';

/** Headers a client of a dialect sends that the same dialect's upstream needs to see. */
const FORWARDED_HEADERS: Partial<Record<string, readonly string[]>> = {
  'anthropic-messages': ['anthropic-beta', 'anthropic-version'],
};

interface FailedAttempt {
  error: GatewayError;
  /** The upstream's own error answer, forwarded as is when client and upstream speak the same dialect. */
  raw?: { status: number; body: string; retryAfter?: string };
}

export function unknownModelError(model: string): GatewayError {
  return new GatewayError({ status: 502, code: 'unknown_provider', message: `unknown provider for model ${model}`, retryable: false });
}

/**
 * Serves one generation request: decode once, resolve the model, then try its credentials in
 * turn until one answers. Credentials are switched only before the first byte reaches the client.
 */
export async function handleGeneration(context: GenerationContext): Promise<void> {
  const { snapshot, runtime, clientCodec, res } = context;
  const request = clientCodec.decodeRequest(context.body, context.decodeContext);
  const requestedModel = request.model;
  const suffix = parseThinkingSuffix(requestedModel);
  if (suffix.reasoning) request.reasoning = suffix.reasoning;
  const targets = snapshot.registry.resolve(suffix.model) ?? (suffix.model !== requestedModel ? undefined : snapshot.registry.resolve(requestedModel));
  if (!targets || targets.length === 0) throw unknownModelError(requestedModel);

  const ordered = runtime.rotation.order(suffix.model, targets);
  const limit = snapshot.config.maxRetryCredentials > 0 ? Math.min(snapshot.config.maxRetryCredentials, ordered.length) : ordered.length;
  const signal = abortOnClose(res);

  let failure: FailedAttempt | undefined;
  for (let attempt = 0; attempt < limit && !signal.aborted; attempt++) {
    const target = ordered[attempt]!;
    const outcome = await attemptTarget(context, request, requestedModel, Boolean(suffix.reasoning), target, attempt + 1, signal);
    if (outcome === undefined) return;
    failure = outcome;
    runtime.logger.warn(
      { requestId: context.requestId, provider: target.credential.provider, credential: target.credential.id, status: outcome.error.status },
      `upstream attempt failed: ${outcome.error.message}`,
    );
    if (!outcome.error.retryable) break;
  }
  if (signal.aborted || !failure) return;
  if (failure.raw) sendRawUpstreamError(res, failure.raw, context.requestId);
  else sendGatewayError(res, clientCodec, failure.error, context.requestId);
}

async function attemptTarget(
  context: GenerationContext,
  request: CanonicalRequest,
  requestedModel: string,
  reasoningFromSuffix: boolean,
  target: RouteTarget,
  attempts: number,
  signal: AbortSignal,
): Promise<FailedAttempt | undefined> {
  const { provider } = target;
  const upstreamCodec = dialectCodecs[provider.dialect];
  const sameDialect = context.clientCodec.id === provider.dialect;
  const upstreamStream = request.stream || provider.streamOnly === true;
  const endpoint = { model: target.upstreamModel, stream: upstreamStream, operation: 'generate' as const };

  let body: Record<string, unknown>;
  if (sameDialect && !reasoningFromSuffix) {
    // Passthrough: the client's own body, only the model renamed (Gemini carries it in the URL).
    body = provider.dialect === 'gemini' ? context.body : { ...context.body, model: target.upstreamModel };
  } else {
    body = upstreamCodec.encodeRequest(request, { model: target.upstreamModel, stream: upstreamStream });
  }
  provider.adjustBody?.(body, endpoint);

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
  const call = { target, endpoint, body: JSON.stringify(body), forwardedHeaders, signal };
  let response: Dispatcher.ResponseData | BufferedUpstreamResponse;
  try {
    response = upstreamStream
      ? await sendUpstreamRequest(context.runtime.dispatchers, context.snapshot.config.proxyUrl, call)
      : await sendBufferedUpstreamRequest(context.runtime.dispatchers, context.snapshot.config.proxyUrl, call);
  } catch (error) {
    if (signal.aborted) return undefined;
    if (error instanceof GatewayError) return { error };
    throw error;
  }
  timing.answeredAt = performance.now();

  if (response.statusCode >= 400) {
    const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : await response.body.text();
    const retryAfter = response.headers['retry-after'];
    const error = upstreamErrorToGatewayError(upstreamCodec, response.statusCode, text, retryAfter);
    return {
      error,
      raw: sameDialect ? { status: response.statusCode, body: text, retryAfter: typeof retryAfter === 'string' ? retryAfter : error.retryAfter?.toString() } : undefined,
    };
  }

  const headers = routingHeaders(context.requestId, target, attempts, timing);
  const encodeContext = { model: requestedModel, request };
  const { res, clientCodec } = context;

  let payload: string | Buffer;
  if (Buffer.isBuffer(response.body)) {
    if (sameDialect) payload = response.body;
    else payload = JSON.stringify(clientCodec.encodeResponse(upstreamCodec.decodeResponse(JSON.parse(response.body.toString('utf8'))), encodeContext));
  } else if (request.stream) {
    const passthrough = sameDialect && !context.jsonArrayStream;
    await relayStream({
      upstream: response.body,
      res,
      headers,
      passthrough,
      decoder: upstreamCodec.createStreamDecoder(),
      encoder: clientCodec.createStreamEncoder({ ...encodeContext, jsonArray: context.jsonArrayStream }),
      clientCodec,
      encoderOptions: { ...encodeContext, jsonArray: context.jsonArrayStream },
      signal,
    });
    return undefined;
  } else {
    const collected = await collectUpstreamStream(response.body, upstreamCodec.createStreamDecoder(), signal);
    if (collected.error) return { error: collected.error };
    payload = JSON.stringify(clientCodec.encodeResponse(collected.response, encodeContext));
  }
  res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
  return undefined;
}
