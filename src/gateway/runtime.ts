import type { GatewayConfig } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import { CredentialRotation } from '../routing/credential-rotation.ts';
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
  readonly rotation: CredentialRotation;
  readonly logger: Logger;
  readonly startedAt = Date.now();
  snapshot: RuntimeSnapshot;

  constructor(config: GatewayConfig, logger: Logger) {
    this.logger = logger;
    this.rotation = new CredentialRotation(config.routingStrategy);
    this.snapshot = GatewayRuntime.build(config);
  }

  apply(config: GatewayConfig): void {
    this.rotation.setStrategy(config.routingStrategy);
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
