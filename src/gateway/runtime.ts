import { ConfigError } from '../config/config-error.ts';
import type { GatewayConfig } from '../config/types.ts';
import type { Usage } from '../ir/usage.ts';
import type { LogFiles } from '../observability/log-files.ts';
import type { UsageStore } from '../storage/usage-store.ts';
import type { BudgetTracker } from '../usage/budgets.ts';
import type { UsageRecorder } from '../usage/usage-recorder.ts';
import type { PricingTable } from '../usage/pricing/pricing-table.ts';
import type { RequestObserver } from '../observability/request-events.ts';
import type { RouteTarget } from '../routing/model-registry.ts';
import type { RouteHandler } from '../server/http-context.ts';
import { ManagementAuthenticator } from '../server/management/management-auth.ts';
import { ComboMetrics } from '../routing/combo-metrics.ts';
import { ComboResolver } from '../routing/combo-resolver.ts';
import { parseThinkingSuffix } from '../routing/thinking-suffix.ts';
import type { Logger } from '../observability/logger.ts';
import { CircuitBreakers } from '../routing/circuit-breaker.ts';
import { ClientRateLimiter } from '../routing/client-rate-limiter.ts';
import { ConcurrencyLimiter } from '../routing/concurrency-limiter.ts';
import { CooldownTracker } from '../routing/cooldowns.ts';
import { SessionAffinity } from '../routing/session-affinity.ts';
import { CredentialRotation } from '../routing/credential-rotation.ts';
import { InMemoryStateStore } from '../routing/state/in-memory-state-store.ts';
import type { RoutingStateStore } from '../routing/state/routing-state-store.ts';
import { ModelRegistry } from '../routing/model-registry.ts';
import { ClientAuthenticator } from '../server/client-auth.ts';
import { UpstreamDispatchers } from '../transport/upstream-dispatchers.ts';

/**
 * Everything a request needs, swapped as a whole on config reload so that a request in flight
 * keeps seeing one consistent config. Connection pools and rotation cursors outlive reloads.
 */
export interface RuntimeSnapshot {
  config: GatewayConfig;
  registry: ModelRegistry;
  combos: ComboResolver;
  authenticator: ClientAuthenticator;
}

export class GatewayRuntime {
  readonly dispatchers = new UpstreamDispatchers();
  /** Everything routing learns while running; one store, so a shared implementation can replace it. */
  readonly state: RoutingStateStore;
  readonly cooldowns: CooldownTracker;
  readonly breakers: CircuitBreakers;
  readonly rotation: CredentialRotation;
  readonly concurrency = new ConcurrencyLimiter();
  readonly rateLimiter: ClientRateLimiter;
  readonly affinity: SessionAffinity;
  /** One management guard per gateway, so failure counts and bans are shared by every protected route. */
  readonly managementAuth = new ManagementAuthenticator();
  /** Accounting, set up by `startGateway`: price table, per-key budgets, usage storage. */
  pricing?: PricingTable;
  budgets?: BudgetTracker;
  usageStore?: UsageStore;
  usage?: UsageRecorder;
  /** Log files (main log, request and error logs); set up by `startGateway`. */
  logs!: LogFiles;
  /** Called after every applied config (file reload or management edit). */
  readonly configListeners: Array<(config: GatewayConfig) => void> = [];
  /** `GET /metrics`, once metrics are set up. */
  metricsHandler?: RouteHandler;
  /** Streams being relayed to clients right now. */
  activeStreams = 0;
  /** `performance.now()` of the last request's arrival, or of the start before any. */
  lastRequestAt = performance.now();
  /** Observers of finished requests (usage recorder, metrics, request/error log files). */
  readonly observers: RequestObserver[] = [];
  /** USD cost of an attempt's usage; replaced by the pricing table when accounting starts. */
  priceOf: (target: RouteTarget, usage: Usage) => number = () => 0;
  /** Per combo and target request metrics; they feed the health-scored strategies and /api/combos/metrics. */
  readonly comboMetrics = new ComboMetrics();
  readonly logger: Logger;
  readonly startedAt = Date.now();
  snapshot: RuntimeSnapshot;

  constructor(config: GatewayConfig, logger: Logger, state: RoutingStateStore = new InMemoryStateStore()) {
    this.logger = logger;
    this.state = state;
    this.cooldowns = new CooldownTracker(state, { disabled: config.disableCooling });
    this.breakers = new CircuitBreakers(state, config.circuitBreaker);
    this.rotation = new CredentialRotation(config.routingStrategy);
    this.rateLimiter = new ClientRateLimiter(state);
    this.affinity = new SessionAffinity(state);
    this.snapshot = GatewayRuntime.build(config);
  }

  /** Applies a new config as a whole, or (when its combos cannot work) not at all. */
  apply(config: GatewayConfig): void {
    const snapshot = GatewayRuntime.build(config);
    this.rotation.setStrategy(config.routingStrategy);
    this.cooldowns.disabled = config.disableCooling;
    this.breakers.settings = config.circuitBreaker;
    this.snapshot = snapshot;
    for (const listener of this.configListeners) listener(config);
  }

  /** Builds the request-time view of a config; throws a ConfigError when the combos cannot work (cycles, nesting). */
  static build(config: GatewayConfig): RuntimeSnapshot {
    const registry = new ModelRegistry(config.credentials, { forceModelPrefix: config.forceModelPrefix });
    let combos: ComboResolver;
    try {
      combos = new ComboResolver({
        combos: config.combos,
        fallbackChains: config.fallbackChains,
        isServed: (model) => registry.resolve(parseThinkingSuffix(model).model) !== undefined,
      });
    } catch (error) {
      throw new ConfigError(`${config.path ?? 'config'}: combos: ${(error as Error).message}`);
    }
    return { config, registry, combos, authenticator: new ClientAuthenticator(config.apiKeys) };
  }

  /** Problems that do not stop the config (unknown combo targets, shadowed models), for the log. */
  comboWarnings(): readonly string[] {
    return this.snapshot.combos.validate();
  }

  /** Whether any credential of a model can take a request now (not cooling, provider breaker not open). */
  isModelAvailable(model: string): boolean {
    const targets = this.snapshot.registry.resolve(parseThinkingSuffix(model).model);
    return (
      targets?.some((target) => !this.cooldowns.active(target.credential.id, target.upstreamModel) && !this.breakers.isOpen(target.credential.provider)) ?? false
    );
  }

  async close(): Promise<void> {
    await this.dispatchers.close();
  }
}
