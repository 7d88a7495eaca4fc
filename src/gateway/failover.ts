import type { CanonicalRequest } from '../ir/request.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import type { ComboRequest } from '../routing/combo-metrics.ts';
import type { CooldownEntry } from '../routing/cooldowns.ts';
import type { RouteTarget } from '../routing/model-registry.ts';
import type { AttemptTrace, RequestFinishedEvent } from '../observability/request-events.ts';
import { attemptRecord } from './attempt-record.ts';
import { requestFinishedEvent } from './request-event.ts';
import { attemptTarget, type AttemptOutcome, type AttemptRequest, type FailedAttempt } from './attempt-target.ts';
import type { GenerationContext } from './generation-context.ts';
import { sendGatewayError, sendRawUpstreamError, type SentAnswer } from './send-error.ts';

/**
 * The one failover loop: walks the planned models (a model, then its fallback chain) and their
 * credentials — highest priority first, skipping cooling credentials and open breakers, busy
 * credentials last — until one serves the request. Credentials are switched only before the
 * first byte reaches the client. Between rounds, a credential that recovers within
 * `max-retry-interval` is waited for, up to `request-retry` rounds. Every outcome feeds the
 * cooldowns, breakers and session affinity.
 */
export class FailoverRun {
  private attempts = 0;
  private served = false;
  private readonly traces: AttemptTrace[] = [];
  /** What the client got: set when the answer is written. */
  private answer: SentAnswer | undefined;
  private failure: FailedAttempt | undefined;
  private cooling: CooldownEntry | undefined;
  private readonly context: GenerationContext;
  private readonly attempt: AttemptRequest;
  private readonly session: string | undefined;
  private readonly signal: AbortSignal;

  private readonly comboRequest: ComboRequest | undefined;

  constructor(context: GenerationContext, attempt: AttemptRequest, session: string | undefined, signal: AbortSignal, comboRequest?: ComboRequest) {
    this.context = context;
    this.attempt = attempt;
    this.session = session;
    this.signal = signal;
    this.comboRequest = comboRequest;
  }

  /** Resolves true when a credential served the request. */
  async run(plan: readonly string[]): Promise<boolean> {
    const { runtime, snapshot } = this.context;
    const config = snapshot.config;
    for (const model of plan) {
      const targets = snapshot.registry.resolve(model);
      if (!targets?.length) continue;
      const ordered = preferSticky(runtime.rotation.order(model, targets), this.session && runtime.affinity.preferred(this.session, model));
      for (let round = 0; ; round++) {
        const result = await this.runRound(model, ordered);
        if (result === 'done') return this.served;
        const wait = result - Date.now();
        if (round >= config.requestRetry || !(wait <= config.maxRetryInterval * 1000) || this.signal.aborted) break;
        await sleep(Math.max(0, wait), this.signal);
      }
      if (this.signal.aborted) return false;
    }
    if (this.signal.aborted) return false;
    const requested = this.attempt.requestedModel;
    if (this.failure) this.respondWithFailure(this.failure);
    else if (this.cooling) this.answer = sendGatewayError(this.context.res, this.context.clientCodec, modelCooldownError(requested, this.cooling), this.context.requestId);
    else this.answer = sendGatewayError(this.context.res, this.context.clientCodec, breakerOpenError(requested), this.context.requestId);
    return false;
  }

  /** The request-finished event for the observers; call once the answer ended. */
  finishedEvent(): RequestFinishedEvent {
    return requestFinishedEvent(this.context, this.answer, this.traces);
  }

  /** One pass over a model's credentials; 'done' once the request is answered, else the epoch ms of the soonest recovery. */
  private async runRound(model: string, ordered: readonly RouteTarget[]): Promise<'done' | number> {
    const { runtime, snapshot } = this.context;
    const limit = snapshot.config.maxRetryCredentials;
    let tried = 0;
    let soonestRecovery = Infinity;
    const busy: RouteTarget[] = [];
    for (const target of ordered) {
      if (limit > 0 && tried >= limit) return soonestRecovery;
      const cooldown = runtime.cooldowns.active(target.credential.id, target.upstreamModel);
      if (cooldown) {
        soonestRecovery = Math.min(soonestRecovery, cooldown.until);
        if (!this.cooling || cooldown.until < this.cooling.until) this.cooling = cooldown;
        continue;
      }
      if (!runtime.breakers.tryAcquire(target.credential.provider)) continue;
      const release = runtime.concurrency.tryAcquire(target.credential.id, target.credential.maxConcurrent);
      if (!release) {
        runtime.breakers.release(target.credential.provider);
        busy.push(target);
        continue;
      }
      tried++;
      const verdict = await this.tryTarget(model, target, release);
      if (verdict === 'done') return 'done';
      soonestRecovery = Math.min(soonestRecovery, verdict);
    }
    // Every free credential failed or none was free: queue for the busy ones, in order.
    for (const target of busy) {
      if (limit > 0 && tried >= limit) break;
      if (!runtime.breakers.tryAcquire(target.credential.provider)) continue;
      let release: () => void;
      try {
        release = await runtime.concurrency.acquire(target.credential.id, target.credential.maxConcurrent, this.signal);
      } catch (error) {
        runtime.breakers.release(target.credential.provider);
        if (this.signal.aborted) return 'done';
        this.failure = { kind: 'failed', error: error as GatewayError };
        continue;
      }
      tried++;
      const verdict = await this.tryTarget(model, target, release);
      if (verdict === 'done') return 'done';
      soonestRecovery = Math.min(soonestRecovery, verdict);
    }
    return soonestRecovery;
  }

  /** 'done' when the request was answered (or abandoned), else when the credential recovers (Infinity: no cooldown). */
  private async tryTarget(model: string, target: RouteTarget, release: () => void): Promise<'done' | number> {
    const { runtime, snapshot } = this.context;
    const { credential } = target;
    this.attempts++;
    const metrics = this.comboRequest ? this.comboRequest.attempt(model) : runtime.comboMetrics.startAttempt(model);
    const startedAt = Date.now();
    let outcome;
    try {
      outcome = await attemptTarget(this.context, this.attempt, target, this.attempts, this.signal);
    } finally {
      release();
    }
    if (outcome.kind === 'served' && !outcome.error) metrics.succeeded(outcome.trace.firstByteMs ?? 0);
    else if (outcome.kind !== 'aborted' && outcome.error) metrics.failed(outcome.error.message);
    this.trace(target, outcome, startedAt);
    const subject = { credentialId: credential.id, provider: credential.provider, model: target.upstreamModel };
    if (outcome.kind === 'aborted') {
      runtime.breakers.release(credential.provider);
      return 'done';
    }
    if (outcome.kind === 'served') {
      if (outcome.error) {
        runtime.breakers.recordFailure(credential.provider, outcome.error);
        runtime.cooldowns.recordFailure(subject, outcome.error);
      } else {
        runtime.breakers.recordSuccess(credential.provider);
        runtime.cooldowns.recordSuccess(credential.id, target.upstreamModel);
      }
      if (this.session) runtime.affinity.remember(this.session, model, credential.id, snapshot.config.sessionAffinityTtlMs);
      const limits = snapshot.config.clientRateLimits;
      if (outcome.usage && (limits.keys[this.context.clientKey] ?? limits.default)?.tokensPerMinute !== undefined) {
        runtime.rateLimiter.recordTokens(this.context.clientKey, outcome.usage.inputTokens + outcome.usage.outputTokens);
      }
      this.served = !outcome.error;
      this.answer = { status: 200, body: outcome.payload ?? '' };
      return 'done';
    }
    this.failure = outcome;
    runtime.breakers.recordFailure(credential.provider, outcome.error);
    const cooldown = runtime.cooldowns.recordFailure(subject, outcome.error);
    // A failed attempt is in the usage record, the error log and the metrics; the log line is a warning
    // only when it benches the credential, so a failing upstream without cooldowns does not flood the log.
    const level = cooldown ? 'warn' : 'debug';
    if (runtime.logger.isLevelEnabled(level)) {
      runtime.logger[level](
        { requestId: this.context.requestId, provider: credential.provider, credential: credential.id, model: target.upstreamModel, status: outcome.error.status, coolingUntil: cooldown && new Date(cooldown.until).toISOString() },
        `upstream attempt failed: ${outcome.error.message}`,
      );
    }
    if (!outcome.error.retryable) {
      this.respondWithFailure(outcome);
      return 'done';
    }
    return cooldown?.until ?? Infinity;
  }

  private respondWithFailure(failure: FailedAttempt): void {
    this.answer = failure.raw
      ? sendRawUpstreamError(this.context.res, failure.raw, this.context.requestId)
      : sendGatewayError(this.context.res, this.context.clientCodec, failure.error, this.context.requestId);
  }

  private trace(target: RouteTarget, outcome: AttemptOutcome, startedAt: number): void {
    if (outcome.kind === 'aborted') return;
    const served = outcome.kind === 'served';
    const data = outcome.trace;
    const record = attemptRecord(this.context, {
      attempt: this.attempts,
      target,
      requestedModel: this.attempt.requestedModel,
      stream: this.attempt.request.stream,
      startedAt,
      endedAt: Date.now(),
      firstByteMs: data?.firstByteMs,
      status: served && !outcome.error ? 200 : (outcome.error?.status ?? 502),
      error: outcome.error,
      usage: served ? outcome.usage : undefined,
      costUsd: served ? outcome.costUsd : 0,
    });
    this.traces.push({
      record,
      upstreamUrl: data?.upstreamUrl ?? '',
      upstreamRequestBody: data?.upstreamRequestBody ?? '',
      ...(data?.upstreamErrorBody !== undefined ? { upstreamErrorBody: data.upstreamErrorBody } : {}),
    });
  }
}

/** The sticky credential of a session first, the rest in their usual order. */
function preferSticky(ordered: RouteTarget[], credentialId: string | undefined): RouteTarget[] {
  if (!credentialId) return ordered;
  const index = ordered.findIndex((target) => target.credential.id === credentialId);
  if (index <= 0) return ordered;
  return [ordered[index]!, ...ordered.slice(0, index), ...ordered.slice(index + 1)];
}

/** CLIProxyAPI's answer when every credential of a model is cooling down. */
function modelCooldownError(model: string, soonest: CooldownEntry): GatewayError {
  const seconds = Math.max(1, Math.ceil((soonest.until - Date.now()) / 1000));
  return new GatewayError({
    status: 429,
    code: 'model_cooldown',
    message: `All credentials for model ${model} are cooling down via provider ${soonest.provider}`,
    retryAfter: seconds,
    retryable: false,
    details: { model, provider: soonest.provider, reset_time: formatGoDuration(seconds), reset_seconds: seconds },
  });
}

function breakerOpenError(model: string): GatewayError {
  return new GatewayError({
    status: 503,
    code: 'upstream_unavailable',
    message: `every provider serving ${model} is failing (circuit open); retry shortly`,
    retryAfter: 5,
    retryable: false,
  });
}

/** `1h2m3s`, as CLIProxyAPI (Go) prints durations. */
export function formatGoDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${seconds}s`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

