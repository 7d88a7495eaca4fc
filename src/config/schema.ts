import { z } from 'zod';

/**
 * CLIProxyAPI's config.yaml, as far as Switchyard acts on it. Objects are loose: unknown keys are
 * kept (a CLIProxyAPI config with features we do not implement yet must still load).
 */
const headers = z.record(z.string(), z.string());
const modelMapping = z.looseObject({ name: z.string().min(1), alias: z.string().optional() });
const models = z.array(modelMapping);
const globs = z.array(z.string());

const apiKeyEntry = z.looseObject({
  'api-key': z.string().min(1, 'must not be empty'),
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
    .array(z.looseObject({ 'api-key': z.string(), 'proxy-url': z.string().optional() }))
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
  'gemini-api-key': z.array(apiKeyEntry).optional(),
  'claude-api-key': z.array(apiKeyEntry).optional(),
  'codex-api-key': z.array(apiKeyEntry).optional(),
  'vertex-api-key': z.array(apiKeyEntry).optional(),
  'openai-compatibility': z.array(openaiCompatibilityEntry).optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
export type RawApiKeyEntry = z.infer<typeof apiKeyEntry>;
export type RawOpenAICompatibilityEntry = z.infer<typeof openaiCompatibilityEntry>;
