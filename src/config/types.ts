import type { ProviderType } from '../providers/provider-type.ts';
import type { BreakerSettings } from '../routing/circuit-breaker.ts';
import type { ComboStrategyName, ComboTarget } from '../routing/strategies/combo-strategy.ts';

export interface ModelMapping {
  /** The model name the upstream knows. */
  name: string;
  /** The name clients use; defaults to `name`. */
  alias?: string;
}

/** One upstream credential: an API key of a provider entry, with everything needed to call it. */
export interface CredentialConfig {
  /** Stable id: config section, entry index and key index (`claude-api-key[0]`). */
  id: string;
  /** CLIProxyAPI-compatible auth index (first 16 hex chars of a sha256). */
  authIndex: string;
  type: ProviderType;
  /** Provider label: the compat entry's `name`, else the provider type. */
  provider: string;
  apiKey: string;
  baseUrl: string;
  headers: Record<string, string>;
  /** `undefined` = use the global proxy; `''` = direct. */
  proxyUrl?: string;
  prefix?: string;
  priority: number;
  models: ModelMapping[];
  excludedModels: string[];
  /** Concurrent requests this credential may carry (undefined: unlimited). */
  maxConcurrent?: number;
}

export interface UpstreamTimeouts {
  /** Longest wait for an upstream's response headers (reasoning models can think for minutes first). */
  firstByteMs: number;
  /** Longest silence between two chunks of an upstream's answer. */
  idleMs: number;
}

export interface PriceOverride {
  input?: number;
  output?: number;
  cachedInput?: number;
  cacheWrite?: number;
  reasoning?: number;
}

export interface BudgetConfig {
  dailyUsd?: number;
  monthlyUsd?: number;
}

export interface RateLimitConfig {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

export interface ComboConfig {
  name: string;
  strategy: ComboStrategyName;
  targets: ComboTarget[];
  description?: string;
}

export interface GatewayConfig {
  host: string;
  port: number;
  apiKeys: string[];
  authDir: string;
  debug: boolean;
  proxyUrl?: string;
  requestRetry: number;
  maxRetryCredentials: number;
  maxRetryInterval: number;
  forceModelPrefix: boolean;
  usageStatisticsEnabled: boolean;
  loggingToFile: boolean;
  bodyLimitBytes: number;
  /** How long without a request before the CLI's process gives memory back, ms; 0 = never. */
  idleMemoryReleaseMs: number;
  routingStrategy: 'round-robin' | 'fill-first';
  /** Sticky credential per client session. */
  sessionAffinity: boolean;
  sessionAffinityTtlMs: number;
  remoteManagement: { allowRemote: boolean; secretKey: string };
  credentials: CredentialConfig[];
  disableCooling: boolean;
  upstreamTimeouts: UpstreamTimeouts;
  circuitBreaker: BreakerSettings;
  clientRateLimits: { default?: RateLimitConfig; keys: Record<string, RateLimitConfig> };
  combos: ComboConfig[];
  requestLog: boolean;
  logsMaxTotalSizeMb: number;
  errorLogsMaxFiles: number;
  /** Per-model price overrides, USD per million tokens. */
  pricing: Record<string, PriceOverride>;
  budgets: Record<string, BudgetConfig>;
  metricsPublic: boolean;
  fallbackChains: Record<string, string[]>;
  /** The file this config came from (undefined for a built-in config). */
  path?: string;
}
