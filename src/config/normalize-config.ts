import { createHash } from 'node:crypto';
import { providerDefinitions } from '../providers/index.ts';
import type { ProviderType } from '../providers/provider-type.ts';
import { expandHome } from './data-dir.ts';
import type { RawApiKeyEntry, RawConfig } from './schema.ts';
import { DEFAULT_BREAKER_SETTINGS } from '../routing/circuit-breaker.ts';
import { parseDurationMs } from '../routing/session-affinity.ts';
import { priceOverrideProblems } from '../usage/pricing/pricing-table.ts';
import { ConfigError } from './config-error.ts';
import { IDLE_RELEASE_AFTER_MS } from '../process/release-memory-when-idle.ts';
import type { CredentialConfig, GatewayConfig, ModelMapping, PriceOverride, RateLimitConfig } from './types.ts';

const KEYED_SECTIONS = [
  ['claude-api-key', 'claude'],
  ['gemini-api-key', 'gemini'],
  ['codex-api-key', 'codex'],
  ['vertex-api-key', 'vertex'],
] as const satisfies ReadonlyArray<readonly [keyof RawConfig, ProviderType]>;

/** CLIProxyAPI's auth index: the first 16 hex chars of sha256 over a stable description of the credential. */
function authIndexOf(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 16);
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

function credentialFromEntry(
  type: ProviderType,
  provider: string,
  id: string,
  entry: Pick<RawApiKeyEntry, 'base-url' | 'headers' | 'prefix' | 'priority' | 'models' | 'excluded-models'>,
  apiKey: string,
  proxyUrl: string | undefined,
  maxConcurrent?: number,
): CredentialConfig {
  const definition = providerDefinitions[type];
  const baseUrl = trimSlash(entry['base-url'] || definition.defaultBaseUrl);
  return {
    id,
    authIndex: authIndexOf(`${type}:${apiKey}:${baseUrl}`),
    type,
    provider,
    apiKey,
    baseUrl,
    headers: entry.headers ?? {},
    proxyUrl,
    prefix: entry.prefix ? entry.prefix.replace(/^\/+|\/+$/g, '') : undefined,
    priority: entry.priority ?? 0,
    models: (entry.models ?? []).map((model): ModelMapping => ({ name: model.name, alias: model.alias || undefined })),
    excludedModels: entry['excluded-models'] ?? [],
    maxConcurrent,
  };
}

function rateLimitOf(raw: { 'requests-per-minute'?: number; 'tokens-per-minute'?: number } | undefined): RateLimitConfig | undefined {
  if (!raw) return undefined;
  return { requestsPerMinute: raw['requests-per-minute'], tokensPerMinute: raw['tokens-per-minute'] };
}

/** Providers from the environment, offered only when the config declares none. */
function credentialsFromEnvironment(env: NodeJS.ProcessEnv): CredentialConfig[] {
  const credentials: CredentialConfig[] = [];
  const add = (type: ProviderType, variable: string, baseUrlVariable: string) => {
    const apiKey = env[variable];
    if (!apiKey) return;
    credentials.push(
      credentialFromEntry(type, type === 'openai-compatibility' ? 'openai' : type, `env:${variable}`, { 'base-url': env[baseUrlVariable] }, apiKey, undefined),
    );
  };
  add('openai-compatibility', 'OPENAI_API_KEY', 'OPENAI_BASE_URL');
  add('claude', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL');
  add('gemini', 'GEMINI_API_KEY', 'GEMINI_BASE_URL');
  return credentials;
}

function pricingOf(raw: RawConfig, path: string | undefined): Record<string, PriceOverride> {
  const pricing = Object.fromEntries(
    Object.entries(raw.pricing ?? {}).map(([model, price]) => [
      model,
      { input: price.input, output: price.output, cachedInput: price['cached-input'], cacheWrite: price['cache-write'], reasoning: price.reasoning },
    ]),
  );
  const problems = priceOverrideProblems(pricing);
  if (problems.length > 0) throw new ConfigError(`invalid config\n  ${problems.map((problem) => `${path ?? 'config'}: pricing: ${problem}`).join('\n  ')}`);
  return pricing;
}

export function normalizeConfig(raw: RawConfig, path: string | undefined, env: NodeJS.ProcessEnv): GatewayConfig {
  const credentials: CredentialConfig[] = [];
  for (const [section, type] of KEYED_SECTIONS) {
    (raw[section] ?? []).forEach((entry, index) => {
      if (entry.disabled) return;
      credentials.push(credentialFromEntry(type, type, `${section}[${index}]`, entry, entry['api-key'], entry['proxy-url'], entry['max-concurrent']));
    });
  }
  (raw['openai-compatibility'] ?? []).forEach((entry, index) => {
    if (entry.disabled) return;
    const keys = entry['api-key-entries']?.length ? entry['api-key-entries'] : [{ 'api-key': '' }];
    keys.forEach((key, keyIndex) => {
      credentials.push(
        credentialFromEntry(
          'openai-compatibility',
          entry.name,
          `openai-compatibility[${index}].api-key-entries[${keyIndex}]`,
          entry,
          key['api-key'],
          key['proxy-url'],
          key['max-concurrent'],
        ),
      );
    });
  });
  if (credentials.length === 0) credentials.push(...credentialsFromEnvironment(env));

  return {
    host: raw.host ?? '',
    port: raw.port ?? 8317,
    apiKeys: raw['api-keys'] ?? [],
    authDir: expandHome(raw['auth-dir'] ?? '~/.cli-proxy-api'),
    debug: raw.debug ?? false,
    proxyUrl: raw['proxy-url'] || undefined,
    requestRetry: raw['request-retry'] ?? 0,
    maxRetryCredentials: raw['max-retry-credentials'] ?? 0,
    maxRetryInterval: raw['max-retry-interval'] ?? 0,
    forceModelPrefix: raw['force-model-prefix'] ?? false,
    // On unless turned off (CLIProxyAPI defaults to off): accounting is what the gateway is for, budgets
    // need the spend recorded, and recording costs a few µs per request off the request path.
    usageStatisticsEnabled: raw['usage-statistics-enabled'] ?? true,
    loggingToFile: raw['logging-to-file'] ?? false,
    bodyLimitBytes: Math.round((raw['body-limit-mb'] ?? 32) * 1024 * 1024),
    idleMemoryReleaseMs: (raw['idle-memory-release-seconds'] ?? IDLE_RELEASE_AFTER_MS / 1000) * 1000,
    routingStrategy: raw.routing?.strategy ?? 'round-robin',
    sessionAffinity: raw.routing?.['session-affinity'] ?? false,
    sessionAffinityTtlMs: parseDurationMs(raw.routing?.['session-affinity-ttl'], 3_600_000),
    remoteManagement: {
      allowRemote: raw['remote-management']?.['allow-remote'] ?? false,
      secretKey: raw['remote-management']?.['secret-key'] ?? '',
    },
    credentials,
    disableCooling: raw['disable-cooling'] ?? false,
    upstreamTimeouts: {
      firstByteMs: (raw['upstream-timeouts']?.['first-byte-seconds'] ?? 600) * 1000,
      idleMs: (raw['upstream-timeouts']?.['idle-seconds'] ?? 300) * 1000,
    },
    circuitBreaker: {
      failureThreshold: raw['circuit-breaker']?.['failure-threshold'] ?? DEFAULT_BREAKER_SETTINGS.failureThreshold,
      openMs: (raw['circuit-breaker']?.['open-seconds'] ?? DEFAULT_BREAKER_SETTINGS.openMs / 1000) * 1000,
      maxOpenMs: (raw['circuit-breaker']?.['max-open-seconds'] ?? DEFAULT_BREAKER_SETTINGS.maxOpenMs / 1000) * 1000,
    },
    clientRateLimits: {
      default: rateLimitOf(raw['client-rate-limits']?.default),
      keys: Object.fromEntries(Object.entries(raw['client-rate-limits']?.keys ?? {}).map(([key, limit]) => [key, rateLimitOf(limit)!])),
    },
    combos: (raw.combos ?? []).map((combo) => ({
      name: combo.name,
      strategy: combo.strategy ?? 'priority',
      targets: combo.targets.map((target) => (typeof target === 'string' ? { model: target } : { model: target.model, weight: target.weight })),
      description: combo.description,
    })),
    fallbackChains: raw['fallback-chains'] ?? {},
    requestLog: raw['request-log'] ?? false,
    logsMaxTotalSizeMb: raw['logs-max-total-size-mb'] ?? 0,
    errorLogsMaxFiles: raw['error-logs-max-files'] ?? 10,
    pricing: pricingOf(raw, path),
    budgets: Object.fromEntries(Object.entries(raw.budgets ?? {}).map(([key, budget]) => [key, { dailyUsd: budget['daily-usd'], monthlyUsd: budget['monthly-usd'] }])),
    metricsPublic: raw.metrics?.public ?? false,
    path,
  };
}
