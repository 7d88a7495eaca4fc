import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { UpstreamTimeouts } from '../config/types.ts';
import type { RouteTarget } from '../routing/model-registry.ts';
import type { EndpointContext } from '../providers/provider-definition.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { effectiveProxyUrl, type UpstreamDispatcher, type UpstreamDispatchers } from '../transport/upstream-dispatchers.ts';

export interface UpstreamCall {
  target: RouteTarget;
  endpoint: EndpointContext;
  body: string | Buffer;
  /** Client headers to forward (e.g. `anthropic-beta` between Anthropic dialects). */
  forwardedHeaders?: Record<string, string>;
  signal: AbortSignal;
  /** Longest wait for the response headers and between body chunks. */
  timeouts: UpstreamTimeouts;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function unreachable(call: UpstreamCall, error: unknown, answering = false): GatewayError {
  const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  const provider = call.target.credential.provider;
  if (TIMEOUT_CODES.has(cause)) {
    return new GatewayError({ status: 504, code: 'upstream_timeout', message: `${provider} did not answer in time (${cause})`, retryable: true });
  }
  return new GatewayError({
    status: 502,
    code: 'upstream_unavailable',
    message: answering ? `${provider} broke off its answer (${cause})` : `cannot reach ${provider} (${cause})`,
    retryable: true,
  });
}

function prepareUpstreamRequest(dispatchers: UpstreamDispatchers, globalProxy: string | undefined, call: UpstreamCall): { dispatcher: UpstreamDispatcher; options: Dispatcher.DispatchOptions } {
  const { credential, provider } = call.target;
  const path = provider.endpoint(call.endpoint);
  if (path === undefined) {
    throw new GatewayError({ status: 501, code: 'invalid_request', message: `provider ${credential.provider} does not offer ${call.endpoint.operation}`, retryable: true });
  }
  const url = new URL(credential.baseUrl + path);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: call.endpoint.stream ? 'text/event-stream' : 'application/json',
    ...provider.defaultHeaders,
    ...call.forwardedHeaders,
    ...(credential.apiKey ? provider.authHeaders(credential.apiKey) : {}),
    ...credential.headers,
  };
  return {
    dispatcher: dispatchers.get(url.origin, effectiveProxyUrl(credential.proxyUrl, globalProxy)),
    options: {
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'POST',
      headers,
      body: call.body,
      headersTimeout: call.timeouts.firstByteMs,
      bodyTimeout: call.timeouts.idleMs,
    },
  };
}

export interface BufferedUpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface StreamingUpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The answer's bytes as they arrive; a reader that falls behind pauses the upstream connection. */
  body: Readable;
}

/**
 * Sends one request to an upstream over its pooled keep-alive connection and reads the answer
 * whole: a collecting dispatch handler spares the Readable that `request` builds for every
 * response, a sizeable share of a small request's CPU (see docs/performance.md). A failure before
 * the body is complete counts as unreachable.
 */
export function sendBufferedUpstreamRequest(
  dispatchers: UpstreamDispatchers,
  globalProxy: string | undefined,
  call: UpstreamCall,
): Promise<BufferedUpstreamResponse> {
  // Unstreamed, the dispatch always reads the answer whole.
  return dispatchUpstreamRequest(dispatchers, globalProxy, call, false) as Promise<BufferedUpstreamResponse>;
}

/**
 * A streamed answer, through a dispatch handler that feeds a plain Readable, not `request()`: the
 * objects `request()` builds for each response (its handler and body stream) keep young garbage
 * reachable across collections, and under steady load the collector moved about 0.6 MB to the old
 * generation at every scavenge because of them (a bare node:http proxy measured the same with
 * `request()`, and nothing with a dispatch handler; docs/performance.md). An error status is read
 * whole, as its body is the error's text. A failure before the answer starts counts as unreachable;
 * one after it destroys the body with undici's error.
 */
export function sendStreamingUpstreamRequest(
  dispatchers: UpstreamDispatchers,
  globalProxy: string | undefined,
  call: UpstreamCall,
): Promise<StreamingUpstreamResponse | BufferedUpstreamResponse> {
  return dispatchUpstreamRequest(dispatchers, globalProxy, call, true);
}

/**
 * The one dispatch handler behind both: the signal aborts the request; the answer is collected
 * whole, unless `streamed` and a success, when it feeds a Readable whose reader paces the
 * upstream connection (a push it has no room for pauses it, reading resumes it, destroying the
 * body aborts the request).
 */
function dispatchUpstreamRequest(
  dispatchers: UpstreamDispatchers,
  globalProxy: string | undefined,
  call: UpstreamCall,
  streamed: boolean,
): Promise<StreamingUpstreamResponse | BufferedUpstreamResponse> {
  const { dispatcher, options } = prepareUpstreamRequest(dispatchers, globalProxy, call);
  const { signal } = call;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    const onAbort = () => controller?.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    let body: Readable | undefined;
    /** The upstream is done with the body (ended or failed): destroying it must not abort anything. */
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    dispatcher.dispatch(options, {
      onRequestStart(started) {
        controller = started;
        if (signal.aborted) started.abort(signal.reason);
      },
      onResponseStart(started, status, responseHeaders) {
        statusCode = status;
        headers = responseHeaders;
        if (!streamed || status >= 400) return;
        body = new Readable({
          read() {
            started.resume();
          },
          destroy(error, callback) {
            if (!settled) started.abort(error ?? new Error('the answer was abandoned'));
            callback(error);
          },
        });
        resolve({ statusCode, headers, body });
      },
      onResponseData(started, chunk) {
        if (body) {
          if (!body.push(chunk)) started.pause();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      },
      onResponseEnd() {
        signal.removeEventListener('abort', onAbort);
        settled = true;
        if (body) body.push(null);
        else resolve({ statusCode, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
      },
      onResponseError(_controller, error) {
        signal.removeEventListener('abort', onAbort);
        settled = true;
        if (body) body.destroy(error);
        else reject(signal.aborted ? error : unreachable(call, error, statusCode !== 0));
      },
    });
  });
}
