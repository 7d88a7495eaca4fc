import type { AddressInfo } from 'node:net';
import packageJson from '../package.json' with { type: 'json' };
import { userDataDir } from './config/data-dir.ts';
import { watchConfigFile } from './config/watch-config.ts';
import { LogFiles, logSettingsOf, resolveLogDirectory } from './observability/log-files.ts';
import type { GatewayConfig } from './config/types.ts';
import { GatewayRuntime } from './gateway/runtime.ts';
import { GatewayMetrics } from './observability/metrics/gateway-metrics.ts';
import { metricsRoutes } from './observability/metrics/metrics-route.ts';
import { isConfiguredModel } from './observability/metrics/model-label.ts';
import { join } from 'node:path';
import { SqliteUsageStore } from './storage/sqlite/sqlite-usage-store.ts';
import { BudgetTracker } from './usage/budgets.ts';
import { UsageRecorder } from './usage/usage-recorder.ts';
import { PricingTable } from './usage/pricing/pricing-table.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { isLoopback } from './server/client-auth.ts';
import { createGatewayServer } from './server/http-server.ts';

const SHUTDOWN_GRACE_MS = 5_000;

/** Every secret the config holds, for the log redactor. */
function liveSecrets(config: GatewayConfig): string[] {
  const secrets = [...config.apiKeys, ...config.credentials.map((credential) => credential.apiKey)];
  if (config.remoteManagement.secretKey) secrets.push(config.remoteManagement.secretKey);
  if (process.env.MANAGEMENT_PASSWORD) secrets.push(process.env.MANAGEMENT_PASSWORD);
  return secrets.filter(Boolean);
}

/**
 * Usage history in the embedded database under the data dir (`WRITABLE_PATH` when set). Spending
 * so far seeds the budgets before the first request is served.
 */
async function setUpUsageStorage(runtime: GatewayRuntime, logger: Logger): Promise<{ store: SqliteUsageStore; recorder: UsageRecorder }> {
  const store = SqliteUsageStore.open(join(process.env.WRITABLE_PATH || userDataDir(), 'switchyard.db'));
  if (store.migration.from !== store.migration.to) logger.info(store.migration, 'usage database migrated');
  if (store.migration.compactionError) logger.warn({ error: store.migration.compactionError }, 'usage database migrated but not compacted: it works, only larger');
  const recorder = new UsageRecorder({ store, logger, enabled: () => runtime.snapshot.config.usageStatisticsEnabled });
  runtime.usageStore = store;
  runtime.usage = recorder;
  runtime.observers.push(recorder);
  await runtime.budgets?.seed(store);
  void recorder.loadHistory();
  return { store, recorder };
}

function setUpPricingAndBudgets(runtime: GatewayRuntime, config: GatewayConfig): void {
  const pricing = new PricingTable(config.pricing);
  const budgets = new BudgetTracker();
  budgets.configure(config.budgets, config.apiKeys);
  runtime.pricing = pricing;
  runtime.budgets = budgets;
  runtime.priceOf = (target, usage) => pricing.computeCost(usage, target.upstreamModel).costUsd;
  runtime.observers.push(budgets);
  runtime.configListeners.push((next) => {
    pricing.setOverrides(next.pricing);
    budgets.configure(next.budgets, next.apiKeys);
  });
}

function setUpMetrics(runtime: GatewayRuntime): void {
  const metrics = new GatewayMetrics({ isConfiguredModel: (model) => isConfiguredModel(runtime.snapshot, model) });
  metrics.registerGauges({
    activeStreams: () => runtime.activeStreams,
    cooldowns: () => runtime.cooldowns.list().length,
    breakerStates: () => runtime.breakers.snapshot(),
  });
  runtime.observers.push(metrics);
  runtime.metricsHandler = metricsRoutes(metrics, runtime.managementAuth)[0]!.handler;
}

export interface RunningGateway {
  url: string;
  port: number;
  runtime: GatewayRuntime;
  logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The config file's text at load time, so the watcher can tell real edits from no-op events. */
  configText?: string;
  createdConfig?: boolean;
  logger?: Logger;
}

const LISTEN_BACKLOG = 4096;

/** Starts the gateway: runtime from config, HTTP server, config hot reload. */
export async function startGateway(config: GatewayConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const logs = new LogFiles({ directory: resolveLogDirectory(userDataDir(), process.env), version: packageJson.version });
  const applyLogSettings = (next: GatewayConfig) => {
    logs.redactor.setSecrets(liveSecrets(next));
    logs.apply(logSettingsOf(next));
  };
  applyLogSettings(config);
  const logger = options.logger ?? createLogger({ debug: config.debug, redactor: logs.redactor, file: logs.mainLog });
  const runtime = new GatewayRuntime(config, logger);
  runtime.logs = logs;
  runtime.observers.push(logs.requestLogs);
  runtime.configListeners.push(applyLogSettings);
  setUpMetrics(runtime);
  setUpPricingAndBudgets(runtime, config);
  const usage = await setUpUsageStorage(runtime, logger);
  const server = createGatewayServer(runtime);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Node's default accept queue (511) overflows when a thousand agents connect at once, and each
    // refused client waits a second to retry; the kernel caps this at net.core.somaxconn.
    server.listen({ port: config.port, host: config.host || undefined, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = !config.host || config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  if (options.createdConfig) logger.info({ config: config.path }, 'no config found: wrote a commented default config');
  if (config.apiKeys.length === 0) {
    logger.warn(
      isLoopback(config.host) ? 'no api-keys configured: serving clients on this machine without a key' : 'no api-keys configured: only loopback clients are served, others are refused',
    );
  }
  for (const warning of runtime.comboWarnings()) logger.warn(`combos: ${warning}`);
  if (config.credentials.length === 0) logger.warn({ config: config.path }, 'no providers configured: add one to config.yaml (or set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY)');

  const stopWatching =
    config.path && options.configText !== undefined
      ? watchConfigFile(config.path, options.configText, {
          onReload: (next) => {
            runtime.apply(next);
            logger.info({ credentials: next.credentials.length, combos: next.combos.length }, 'config reloaded');
            for (const warning of runtime.comboWarnings()) logger.warn(`combos: ${warning}`);
          },
          onInvalid: (error) => logger.error(`config change rejected, keeping the running config: ${error.message}`),
        })
      : undefined;

  return {
    url,
    port: address.port,
    runtime,
    logger,
    close: async () => {
      stopWatching?.();
      // In-flight requests get a grace period to finish; a stuck upstream must not hold the shutdown.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(force);
      await runtime.close();
      await usage.recorder.close();
      await usage.store.close();
      await logs.close();
    },
  };
}
