import { isMap, YAMLMap } from 'yaml';
import { z } from 'zod';
import type { GatewayRuntime } from '../../gateway/runtime.ts';
import { sendJson, type HttpContext } from '../http-context.ts';
import { describeBreaker, describeCooldown } from './describe-routing-state.ts';
import { editRunningConfig, ManagementError, managementRoute, readManagementBody } from './management-route.ts';

const breakerSettings = z
  .strictObject({
    'failure-threshold': z.number().int().positive().optional(),
    'open-seconds': z.number().positive().optional(),
    'max-open-seconds': z.number().positive().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'give failure-threshold, open-seconds or max-open-seconds');
const patchBody = z
  .strictObject({ 'circuit-breaker': breakerSettings.optional(), 'disable-cooling': z.boolean().optional() })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change: give circuit-breaker or disable-cooling');
const resetBody = z.strictObject({
  provider: z.string().min(1).optional(),
  credentialId: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
});

/**
 * Settings under their config.yaml names (what PATCH takes), then the live state: breaker per
 * provider, cooldown per credential and model (credential ids only; keys never leave the process).
 */
function resilienceView(runtime: GatewayRuntime) {
  const now = Date.now();
  const { circuitBreaker, disableCooling } = runtime.snapshot.config;
  return {
    'circuit-breaker': {
      'failure-threshold': circuitBreaker.failureThreshold,
      'open-seconds': circuitBreaker.openMs / 1000,
      'max-open-seconds': circuitBreaker.maxOpenMs / 1000,
    },
    'disable-cooling': disableCooling,
    breakers: runtime.breakers.snapshot().map((breaker) => describeBreaker(breaker, now)),
    cooldowns: runtime.cooldowns.list().map((entry) => describeCooldown(entry, now)),
  };
}

export const getResilienceRoute = managementRoute((context: HttpContext) => {
  sendJson(context, 200, resilienceView(context.runtime));
});

/** `PATCH /api/resilience`: writes the given settings to config.yaml and applies them. */
export const patchResilienceRoute = managementRoute(async (context: HttpContext) => {
  const body = await readManagementBody(context, patchBody);
  const patch = body['circuit-breaker'];
  if (patch) {
    const current = context.snapshot.config.circuitBreaker;
    const openSeconds = patch['open-seconds'] ?? current.openMs / 1000;
    const maxOpenSeconds = patch['max-open-seconds'] ?? current.maxOpenMs / 1000;
    if (openSeconds > maxOpenSeconds) {
      throw new ManagementError(400, `invalid body: circuit-breaker: open-seconds (${openSeconds}) must not exceed max-open-seconds (${maxOpenSeconds})`);
    }
  }
  await editRunningConfig(context, (document) => {
    if (patch) {
      let section = document.get('circuit-breaker');
      if (!isMap(section)) {
        section = new YAMLMap();
        document.set('circuit-breaker', section);
      }
      for (const [key, value] of Object.entries(patch)) (section as YAMLMap).set(key, value);
    }
    if (body['disable-cooling'] !== undefined) document.set('disable-cooling', body['disable-cooling']);
  });
  sendJson(context, 200, { ok: true, ...resilienceView(context.runtime) });
});

/**
 * `POST /api/resilience/reset {provider?, credentialId?, model?}`: clears breakers and cooldowns
 * matching the filter (everything without one). Breakers are per provider, so a filter naming
 * only a credential or a model leaves them alone.
 */
export const resetResilienceRoute = managementRoute(async (context: HttpContext) => {
  const filter = await readManagementBody(context, resetBody);
  const { runtime } = context;
  const byCredentialOrModel = filter.credentialId !== undefined || filter.model !== undefined;
  const breakersReset = byCredentialOrModel ? 0 : runtime.breakers.reset(filter.provider);
  const cooldownsCleared = runtime.cooldowns.reset(filter);
  sendJson(context, 200, {
    ok: true,
    breakersReset,
    cooldownsCleared,
    message: `Reset ${breakersReset} circuit breaker(s) and cleared ${cooldownsCleared} cooldown(s)`,
  });
});
