import type { Dispatcher } from 'undici';
import type { RouteTarget } from '../routing/model-registry.ts';
import type { EndpointContext } from '../providers/provider-definition.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { effectiveProxyUrl, type UpstreamDispatchers } from '../transport/upstream-dispatchers.ts';

export interface UpstreamCall {
  target: RouteTarget;
  endpoint: EndpointContext;
  body: string;
  /** Client headers to forward (e.g. `anthropic-beta` between Anthropic dialects). */
  forwardedHeaders?: Record<string, string>;
  signal: AbortSignal;
}

/** Sends one request to an upstream over its pooled keep-alive connection. */
export async function sendUpstreamRequest(
  dispatchers: UpstreamDispatchers,
  globalProxy: string | undefined,
  call: UpstreamCall,
): Promise<Dispatcher.ResponseData> {
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
  const dispatcher = dispatchers.get(url.origin, effectiveProxyUrl(credential.proxyUrl, globalProxy));
  try {
    return await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'POST',
      headers,
      body: call.body,
      signal: call.signal,
    });
  } catch (error) {
    if (call.signal.aborted) throw error;
    throw new GatewayError({
      status: 502,
      code: 'upstream_unavailable',
      message: `cannot reach ${credential.provider} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      retryable: true,
    });
  }
}
