import type { GatewayConfig } from '../config/types.ts';
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

  apply(config: GatewayConfig): void {
    this.rotation.setStrategy(config.routingStrategy);
    this.cooldowns.disabled = config.disableCooling;
    this.breakers.settings = config.circuitBreaker;
    this.snapshot = GatewayRuntime.build(config);
  }

  private static build(config: GatewayConfig): RuntimeSnapshot {
    return {
      config,
      registry: new ModelRegistry(config.credentials, { forceModelPrefix: config.forceModelPrefix }),
      authenticator: new ClientAuthenticator(config.apiKeys),
    };
  }

  async close(): Promise<void> {
    await this.dispatchers.close();
  }
}
