import { dialectCodecs } from '../dialects/index.ts';
import type { CanonicalRequest } from '../ir/request.ts';
import { parseThinkingSuffix } from '../routing/thinking-suffix.ts';
import { estimateInputTokens } from '../usage/estimate-tokens.ts';
import { unknownModelError } from './generate.ts';
import type { GatewayRuntime, RuntimeSnapshot } from './runtime.ts';
import { sendBufferedUpstreamRequest } from './upstream-request.ts';

export interface TokenCount {
  inputTokens: number;
  /** True when no upstream could count and the figure is a local estimate. */
  estimated: boolean;
}

/**
 * Counts a request's input tokens with the first credential whose upstream can count them, else
 * estimates locally. A counting failure never fails the client: it falls back to the estimate.
 */
export async function countRequestTokens(
  runtime: GatewayRuntime,
  snapshot: RuntimeSnapshot,
  request: CanonicalRequest,
  signal: AbortSignal,
): Promise<TokenCount> {
  const { model } = parseThinkingSuffix(request.model);
  const targets = snapshot.registry.resolve(model);
  if (!targets || targets.length === 0) throw unknownModelError(request.model);
  for (const target of runtime.rotation.order(model, targets)) {
    const counter = target.provider.countTokens;
    if (!counter) continue;
    const encoded = dialectCodecs[target.provider.dialect].encodeRequest(request, { model: target.upstreamModel, stream: false });
    try {
      const response = await sendBufferedUpstreamRequest(runtime.dispatchers, snapshot.config.proxyUrl, {
        target,
        endpoint: { model: target.upstreamModel, stream: false, operation: 'count-tokens' },
        body: JSON.stringify(counter.body(encoded, target.upstreamModel)),
        signal,
        timeouts: snapshot.config.upstreamTimeouts,
      });
      if (response.statusCode >= 400) continue;
      const count = counter.read(JSON.parse(response.body.toString('utf8')));
      if (count !== undefined) return { inputTokens: count, estimated: false };
    } catch (error) {
      if (signal.aborted) throw error;
    }
  }
  return { inputTokens: await estimateInputTokens(request), estimated: true };
}
