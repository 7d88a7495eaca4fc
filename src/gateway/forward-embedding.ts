import type { ServerResponse } from 'node:http';
import type { DialectId } from '../ir/dialect-id.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { unknownModelError } from './generate.ts';
import type { GatewayRuntime, RuntimeSnapshot } from './runtime.ts';
import { sendBufferedUpstreamRequest } from './upstream-request.ts';

/**
 * Embedding requests are forwarded as they are to a credential of the same dialect (there is no
 * canonical embedding format yet); the first answer that is not a retryable failure is returned.
 */
export async function forwardEmbedding(
  runtime: GatewayRuntime,
  snapshot: RuntimeSnapshot,
  options: { dialect: DialectId; model: string; body: Record<string, unknown>; res: ServerResponse; requestId: string; signal: AbortSignal },
): Promise<void> {
  const targets = snapshot.registry.resolve(options.model);
  if (!targets || targets.length === 0) throw unknownModelError(options.model);
  const usable = runtime.rotation.order(options.model, targets).filter((target) => target.provider.dialect === options.dialect);
  if (usable.length === 0) {
    throw new GatewayError({ status: 400, code: 'invalid_request', message: `no provider serving ${options.model} offers embeddings in this format`, retryable: false });
  }
  let lastError: GatewayError | undefined;
  for (const target of usable) {
    const body = options.dialect === 'gemini' ? options.body : { ...options.body, model: target.upstreamModel };
    try {
      const response = await sendBufferedUpstreamRequest(runtime.dispatchers, snapshot.config.proxyUrl, {
        target,
        endpoint: { model: target.upstreamModel, stream: false, operation: 'embed' },
        body: JSON.stringify(body),
        signal: options.signal,
        timeouts: snapshot.config.upstreamTimeouts,
      });
      const payload = response.body;
      if (response.statusCode >= 500 || response.statusCode === 429 || response.statusCode === 401 || response.statusCode === 403) {
        lastError = new GatewayError({ status: response.statusCode, code: 'upstream_error', message: `embedding upstream answered ${response.statusCode}` });
        if (usable.indexOf(target) < usable.length - 1) continue;
      }
      options.res.writeHead(response.statusCode, {
        'content-type': 'application/json',
        'content-length': payload.length,
        'x-request-id': options.requestId,
        'x-switchyard-provider': target.credential.provider,
        'x-switchyard-model': target.upstreamModel,
      });
      options.res.end(payload);
      return;
    } catch (error) {
      if (options.signal.aborted) return;
      if (!(error instanceof GatewayError)) throw error;
      lastError = error;
    }
  }
  throw lastError ?? unknownModelError(options.model);
}
