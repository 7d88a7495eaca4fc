import type { RouteTarget } from '../routing/model-registry.ts';

export interface AttemptTiming {
  receivedAt: number;
  /** When the upstream request was handed to the connection pool. */
  dispatchedAt: number;
  /** When the upstream's response headers arrived. */
  answeredAt: number;
}

/**
 * Headers that tell the client how its request was served. `Server-Timing` separates the gateway's
 * own time before dispatch from the upstream's time to first byte.
 */
export function routingHeaders(requestId: string, target: RouteTarget, attempts: number, timing: AttemptTiming): Record<string, string> {
  const gateway = (timing.dispatchedAt - timing.receivedAt).toFixed(3);
  const upstream = (timing.answeredAt - timing.dispatchedAt).toFixed(3);
  return {
    'x-request-id': requestId,
    'x-switchyard-provider': target.credential.provider,
    'x-switchyard-model': target.upstreamModel,
    'x-switchyard-attempts': String(attempts),
    'server-timing': `gateway;dur=${gateway}, upstream;dur=${upstream}`,
  };
}
