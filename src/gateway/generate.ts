import { GatewayError } from '../ir/gateway-error.ts';
import { parseThinkingSuffix } from '../routing/thinking-suffix.ts';
import { abortOnClose } from '../transport/abort-on-close.ts';
import { notifyObservers } from '../observability/notify-observers.ts';
import type { RequestFinishedEvent } from '../observability/request-events.ts';
import { requestFinishedEvent } from './request-event.ts';
import { sendGatewayError } from './send-error.ts';
import { budgetExceededError } from '../usage/budgets.ts';
import { clientKeyIdOf } from './attempt-record.ts';
import { FailoverRun } from './failover.ts';
import type { GenerationContext } from './generation-context.ts';
import { sessionKeyOf } from './session-key.ts';

export function unknownModelError(model: string): GatewayError {
  return new GatewayError({ status: 502, code: 'unknown_provider', message: `unknown provider for model ${model}`, retryable: false });
}

/**
 * Serves one generation request: decode once, apply a thinking suffix, check the client's rate
 * limit, plan the models to try (a combo's targets in its strategy's order, or the model and its
 * fallback chain) and hand them to the failover loop.
 */
export async function handleGeneration(context: GenerationContext): Promise<void> {
  let event: RequestFinishedEvent;
  try {
    event = await serveGeneration(context);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    // Refused before any upstream attempt (bad body, unknown model, rate limit): still a finished request.
    event = requestFinishedEvent(context, sendGatewayError(context.res, context.clientCodec, error, context.requestId), []);
  }
  const { runtime } = context;
  if (runtime.observers.length > 0) notifyObservers(runtime.observers, event, runtime.logger);
}

async function serveGeneration(context: GenerationContext): Promise<RequestFinishedEvent> {
  const { snapshot, runtime, clientCodec } = context;
  const config = snapshot.config;
  const request = clientCodec.decodeRequest(context.body, context.decodeContext);
  const requestedModel = request.model;
  const suffix = parseThinkingSuffix(requestedModel);
  if (suffix.reasoning) request.reasoning = suffix.reasoning;
  const baseModel = snapshot.combos.isCombo(suffix.model) || snapshot.registry.resolve(suffix.model) || !suffix.reasoning ? suffix.model : requestedModel;
  const sources = { isAvailable: (model: string) => runtime.isModelAvailable(model) };
  const plan = snapshot.combos
    .resolve(baseModel, (combo, models) => runtime.comboMetrics.strategyContext(combo, models, sources))
    .filter((model) => snapshot.registry.resolve(model)?.length);
  if (plan.length === 0) throw unknownModelError(requestedModel);
  runtime.rateLimiter.admit(context.clientKey, config.clientRateLimits.keys[context.clientKey] ?? config.clientRateLimits.default);
  const overBudget = runtime.budgets?.check(clientKeyIdOf(context.clientKey));
  if (overBudget) throw budgetExceededError(overBudget);
  const comboRequest = snapshot.combos.isCombo(baseModel) ? runtime.comboMetrics.startComboRequest(baseModel) : undefined;
  const session = config.sessionAffinity ? sessionKeyOf(context, request) : undefined;
  const attempt = { request, requestedModel, reasoningFromSuffix: Boolean(suffix.reasoning) };
  const run = new FailoverRun(context, attempt, session, abortOnClose(context.res), comboRequest);
  const served = await run.run(plan);
  comboRequest?.finish(served);
  return run.finishedEvent();
}
