import type { RateLimitConfig } from '../../config/types.ts';
import { maskSecret } from '../../observability/mask-secret.ts';
import { sendJson, type HttpContext } from '../http-context.ts';
import { describeCooldown } from './describe-routing-state.ts';
import { managementRoute } from './management-route.ts';

function describeLimit(limit: RateLimitConfig) {
  return { requestsPerMinute: limit.requestsPerMinute ?? null, tokensPerMinute: limit.tokensPerMinute ?? null };
}

/**
 * `GET /api/rate-limits`: the configured client limits (client keys masked) and, per upstream
 * credential, whether it is cooling down and for which models. Credentials appear by id only.
 */
export const rateLimitsRoute = managementRoute((context: HttpContext) => {
  const { config } = context.runtime.snapshot;
  const now = Date.now();
  const cooldowns = context.runtime.cooldowns.list();
  sendJson(context, 200, {
    clientRateLimits: {
      default: config.clientRateLimits.default ? describeLimit(config.clientRateLimits.default) : null,
      keys: Object.entries(config.clientRateLimits.keys).map(([key, limit]) => ({ key: maskSecret(key), ...describeLimit(limit) })),
    },
    credentials: config.credentials.map((credential) => {
      const own = cooldowns.filter((entry) => entry.credentialId === credential.id).map((entry) => describeCooldown(entry, now));
      return {
        credentialId: credential.id,
        authIndex: credential.authIndex,
        provider: credential.provider,
        type: credential.type,
        state: own.length > 0 ? 'cooling' : 'ready',
        cooldowns: own,
      };
    }),
  });
});
