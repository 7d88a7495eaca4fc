import { GatewayError } from '../ir/gateway-error.ts';
import { parseThinkingSuffix } from '../routing/thinking-suffix.ts';
import { abortOnClose } from '../transport/abort-on-close.ts';
import { FailoverRun } from './failover.ts';
import type { GenerationContext } from './generation-context.ts';
import { sessionKeyOf } from './session-key.ts';

export function unknownModelError(model: string): GatewayError {
  return new GatewayError({ status: 502, code: 'unknown_provider', message: `unknown provider for model ${model}`, retryable: false });
}

/**
 * Serves one generation request: decode once, apply a thinking suffix, check the client's rate
 * limit, plan the models to try (the model, then its fallback chain) and hand them to the
 * failover loop.
 */
export async function handleGeneration(context: GenerationContext): Promise<void> {
  const { snapshot, runtime, clientCodec } = context;
  const config = snapshot.config;
  const request = clientCodec.decodeRequest(context.body, context.decodeContext);
  const requestedModel = request.model;
  const suffix = parseThinkingSuffix(requestedModel);
  if (suffix.reasoning) request.reasoning = suffix.reasoning;
  const baseModel = snapshot.registry.resolve(suffix.model) || !suffix.reasoning ? suffix.model : requestedModel;
  const plan = [baseModel, ...(config.fallbackChains[baseModel] ?? [])].filter((model) => snapshot.registry.resolve(model)?.length);
  if (plan.length === 0) throw unknownModelError(requestedModel);

  const rateLimit = config.clientRateLimits.keys[context.clientKey] ?? config.clientRateLimits.default;
  runtime.rateLimiter.admit(context.clientKey, rateLimit);
  const session = config.sessionAffinity ? sessionKeyOf(context, request) : undefined;
  const attempt = { request, requestedModel, reasoningFromSuffix: Boolean(suffix.reasoning), wantUsage: rateLimit?.tokensPerMinute !== undefined };
  await new FailoverRun(context, attempt, session, abortOnClose(context.res)).run(plan);
}
