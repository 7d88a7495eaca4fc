import { z } from 'zod';
import { COMBO_STRATEGY_NAMES } from '../routing/strategies/combo-strategy.ts';

/**
 * CLIProxyAPI's config.yaml, as far as Switchyard acts on it. Objects are loose: unknown keys are
 * kept (a CLIProxyAPI config with features we do not implement yet must still load).
 */
const headers = z.record(z.string(), z.string());
const modelMapping = z.looseObject({ name: z.string().min(1), alias: z.string().optional() });
const models = z.array(modelMapping);
const globs = z.array(z.string());

const rateLimit = z.looseObject({
  'requests-per-minute': z.number().int().positive().optional(),
  'tokens-per-minute': z.number().int().positive().optional(),
});

const apiKeyEntry = z.looseObject({
  'api-key': z.string().min(1, 'must not be empty'),
  /** Switchyard: concurrent requests this credential may carry; more wait in a bounded queue. */
  'max-concurrent': z.number().int().positive().optional(),
  priority: z.number().int().optional(),
  prefix: z.string().optional(),
  'base-url': z.string().optional(),
  'proxy-url': z.string().optional(),
  headers: headers.optional(),
  models: models.optional(),
  'excluded-models': globs.optional(),
  disabled: z.boolean().optional(),
});

const openaiCompatibilityEntry = z.looseObject({
  name: z.string().min(1, 'must not be empty'),
  priority: z.number().int().optional(),
  disabled: z.boolean().optional(),
  prefix: z.string().optional(),
  'base-url': z.string().min(1, 'must not be empty'),
  headers: headers.optional(),
  'api-key-entries': z
    .array(z.looseObject({ 'api-key': z.string(), 'proxy-url': z.string().optional(), 'max-concurrent': z.number().int().positive().optional() }))
    .optional(),
  models: models.optional(),
  'excluded-models': globs.optional(),
});

export const configSchema = z.looseObject({
  host: z.string().optional(),
  port: z.number().int().min(0).max(65535).optional(),
  'api-keys': z.array(z.string().min(1, 'must not be empty')).optional(),
  'auth-dir': z.string().optional(),
  debug: z.boolean().optional(),
  'proxy-url': z.string().optional(),
  'request-retry': z.number().int().min(0).optional(),
  'max-retry-credentials': z.number().int().min(0).optional(),
  'max-retry-interval': z.number().min(0).optional(),
  'usage-statistics-enabled': z.boolean().optional(),
  'logging-to-file': z.boolean().optional(),
  'request-log': z.boolean().optional(),
  'force-model-prefix': z.boolean().optional(),
  'disable-cooling': z.boolean().optional(),
  /** Switchyard: largest accepted request body, in MB (default 32). */
  'body-limit-mb': z.number().positive().optional(),
  'idle-memory-release-seconds': z.number().min(0).optional(),
  routing: z
    .looseObject({
      strategy: z.enum(['round-robin', 'fill-first']).optional(),
      'session-affinity': z.boolean().optional(),
      'session-affinity-ttl': z.string().optional(),
    })
    .optional(),
  'remote-management': z
    .looseObject({
      'allow-remote': z.boolean().optional(),
      'secret-key': z.string().optional(),
      'disable-control-panel': z.boolean().optional(),
    })
    .optional(),
  streaming: z
    .looseObject({
      'keepalive-seconds': z.number().min(0).optional(),
      'bootstrap-retries': z.number().int().min(0).optional(),
    })
    .optional(),
  'logs-max-total-size-mb': z.number().min(0).optional(),
  'error-logs-max-files': z.number().int().min(0).optional(),
  /** Switchyard: USD per million tokens, overriding the built-in price table. */
  pricing: z
    .record(
      z.string(),
      z.looseObject({
        input: z.number().min(0).optional(),
        output: z.number().min(0).optional(),
        'cached-input': z.number().min(0).optional(),
        'cache-write': z.number().min(0).optional(),
        reasoning: z.number().min(0).optional(),
      }),
    )
    .optional(),
  /** Switchyard: USD budgets per client key (or `default`). */
  budgets: z
    .record(z.string(), z.looseObject({ 'daily-usd': z.number().positive().optional(), 'monthly-usd': z.number().positive().optional() }))
    .optional(),
  /** Switchyard: `/metrics` is protected like the management API unless public. */
  metrics: z.looseObject({ public: z.boolean().optional() }).optional(),
  /** Switchyard: upstream time limits. */
  'upstream-timeouts': z
    .looseObject({ 'first-byte-seconds': z.number().positive().optional(), 'idle-seconds': z.number().positive().optional() })
    .optional(),
  /** Switchyard: per-provider circuit breaker. */
  'circuit-breaker': z
    .looseObject({
      'failure-threshold': z.number().int().positive().optional(),
      'open-seconds': z.number().positive().optional(),
      'max-open-seconds': z.number().positive().optional(),
    })
    .optional(),
  /** Switchyard: per-client-key limits; `default` applies to keys without their own entry. */
  'client-rate-limits': z
    .looseObject({
      default: rateLimit.optional(),
      keys: z.record(z.string(), rateLimit).optional(),
    })
    .optional(),
  /** Switchyard (OmniRoute semantics): named virtual models over ordered targets. */
  combos: z
    .array(
      z.looseObject({
        name: z.string().min(1, 'must not be empty'),
        strategy: z.enum(COMBO_STRATEGY_NAMES).optional(),
        targets: z.array(z.union([z.string().min(1), z.looseObject({ model: z.string().min(1), weight: z.number().positive().optional() })])).min(1, 'a combo needs at least one target'),
        description: z.string().optional(),
      }),
    )
    .optional(),
  /** Switchyard: when a model fails on every credential, continue with these models in order. */
  'fallback-chains': z.record(z.string(), z.array(z.string().min(1))).optional(),
  'gemini-api-key': z.array(apiKeyEntry).optional(),
  'claude-api-key': z.array(apiKeyEntry).optional(),
  'codex-api-key': z.array(apiKeyEntry).optional(),
  'vertex-api-key': z.array(apiKeyEntry).optional(),
  'openai-compatibility': z.array(openaiCompatibilityEntry).optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
export type RawApiKeyEntry = z.infer<typeof apiKeyEntry>;
export type RawOpenAICompatibilityEntry = z.infer<typeof openaiCompatibilityEntry>;
