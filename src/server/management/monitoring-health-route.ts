import packageJson from '../../../package.json' with { type: 'json' };
import { sendJson, type HttpContext } from '../http-context.ts';
import { describeBreaker, describeCooldown } from './describe-routing-state.ts';
import { managementRoute } from './management-route.ts';

/**
 * `GET /api/monitoring/health`: process and routing health in one read. `status` is `degraded`
 * while a provider breaker refuses traffic, so a probe can alert on it without parsing the rest.
 */
export const monitoringHealthRoute = managementRoute((context: HttpContext) => {
  const { runtime } = context;
  const now = Date.now();
  const memory = process.memoryUsage();
  const breakers = runtime.breakers.snapshot().map((breaker) => describeBreaker(breaker, now));
  const cooldowns = runtime.cooldowns.list().map((entry) => describeCooldown(entry, now));
  const credentials = runtime.snapshot.config.credentials;
  sendJson(context, 200, {
    status: breakers.some((breaker) => breaker.state === 'open') ? 'degraded' : 'ok',
    version: packageJson.version,
    startedAt: new Date(runtime.startedAt).toISOString(),
    uptimeSeconds: Math.floor((now - runtime.startedAt) / 1000),
    memory: { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal },
    credentials: { total: credentials.length, cooling: new Set(cooldowns.map((entry) => entry.credentialId)).size },
    breakers,
    cooldowns,
    timestamp: new Date(now).toISOString(),
  });
});
