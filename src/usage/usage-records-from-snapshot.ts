import { createHash } from 'node:crypto';
import { z } from 'zod';
import { clientKeyIdOf } from '../gateway/attempt-record.ts';
import { maskSecret } from '../observability/mask-secret.ts';
import { KEYLESS_API_NAME } from './cliproxy-usage-snapshot.ts';
import type { UsageRecord } from './usage-record.ts';

const count = z.number().int().nonnegative();
/** A record as a Switchyard export carries it; anything else is rebuilt from the CLIProxyAPI fields. */
const exportedRecord = z.object({
  id: z.string().min(1),
  requestId: z.string(),
  attempt: count,
  timestamp: z.number().int(),
  clientKeyId: z.string(),
  clientKeyLabel: z.string(),
  provider: z.string(),
  credentialId: z.string(),
  authIndex: z.string(),
  authType: z.enum(['api-key', 'oauth']),
  modelRequested: z.string(),
  modelServed: z.string(),
  endpoint: z.string(),
  clientDialect: z.string(),
  upstreamDialect: z.string(),
  stream: z.boolean(),
  status: z.number().int(),
  failed: z.boolean(),
  errorCode: z.string().optional(),
  inputTokens: count,
  outputTokens: count,
  cachedInputTokens: count,
  cacheWriteTokens: count,
  reasoningTokens: count,
  estimated: z.boolean(),
  latencyMs: z.number().nonnegative(),
  ttftMs: z.number().nonnegative().optional(),
  costUsd: z.number().nonnegative(),
  subscription: z.boolean(),
});

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
/** CLIProxyAPI reads missing or broken figures as zero, and so does this. */
const figure = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0);

/**
 * The client key an `apis` entry names. CLIProxyAPI exports name raw client keys: they become the
 * same key id live traffic with that key gets, and only their masked form is kept. Switchyard
 * exports name masked keys, which are kept as they are.
 */
function clientKeyOf(apiName: string): { clientKeyId: string; clientKeyLabel: string } {
  if (apiName === KEYLESS_API_NAME) return { clientKeyId: '', clientKeyLabel: '' };
  if (apiName.includes('…') || /^\*+$/.test(apiName)) {
    return { clientKeyId: `label-${createHash('sha256').update(apiName).digest('base64url').slice(0, 16)}`, clientKeyLabel: apiName };
  }
  return { clientKeyId: clientKeyIdOf(apiName), clientKeyLabel: maskSecret(apiName) };
}

/** CLIProxyAPI's `source` is an email, a project id or an upstream key: only the first two are kept readable. */
function credentialOf(source: string): string {
  if (source === '' || source.includes('@') || /^[a-z-]+(\[\d+\])+$/.test(source)) return source;
  return maskSecret(source);
}

function recordFromDetail(apiName: string, model: string, detail: Loose, now: number): UsageRecord {
  const tokens = isObject(detail.tokens) ? detail.tokens : {};
  const parsedTime = Date.parse(text(detail.timestamp));
  const failed = detail.failed === true;
  const fields = {
    timestamp: text(detail.timestamp),
    source: text(detail.source),
    authIndex: text(detail.auth_index),
    latencyMs: figure(detail.latency_ms),
    inputTokens: figure(tokens.input_tokens),
    outputTokens: figure(tokens.output_tokens),
    reasoningTokens: figure(tokens.reasoning_tokens),
    cachedInputTokens: figure(tokens.cached_tokens),
  };
  // The same detail imported twice must get the same id, whatever else changed around it.
  const digest = createHash('sha256').update(JSON.stringify([apiName, model, failed, fields])).digest('hex').slice(0, 32);
  const requestId = `import-${digest}`;
  return {
    id: `${requestId}:1`,
    requestId,
    attempt: 1,
    timestamp: Number.isFinite(parsedTime) ? parsedTime : now,
    ...clientKeyOf(apiName),
    provider: 'unknown',
    credentialId: credentialOf(fields.source),
    authIndex: fields.authIndex,
    authType: 'api-key',
    modelRequested: model,
    modelServed: model,
    endpoint: '',
    clientDialect: '',
    upstreamDialect: '',
    stream: false,
    status: failed ? 500 : 200,
    failed,
    inputTokens: fields.inputTokens,
    outputTokens: fields.outputTokens,
    cachedInputTokens: fields.cachedInputTokens,
    cacheWriteTokens: 0,
    reasoningTokens: fields.reasoningTokens,
    estimated: false,
    latencyMs: fields.latencyMs,
    costUsd: 0,
    subscription: false,
  };
}

/**
 * The records a usage snapshot (`POST /v0/management/usage/import`'s `usage`) describes, one per
 * request detail, read as leniently as CLIProxyAPI reads it. Each gets a stable id, so importing
 * the same snapshot twice adds nothing the second time: a Switchyard export's details keep their
 * record's own id; others get one derived from their content. Imported CLIProxyAPI details have
 * no provider (`unknown`) and no cost (CLIProxyAPI does not record one).
 */
export function usageRecordsFromSnapshot(usage: unknown, now: number): UsageRecord[] {
  const records: UsageRecord[] = [];
  if (!isObject(usage) || !isObject(usage.apis)) return records;
  for (const [rawApiName, api] of Object.entries(usage.apis)) {
    const apiName = rawApiName.trim();
    if (apiName === '' || !isObject(api) || !isObject(api.models)) continue;
    for (const [rawModel, modelUsage] of Object.entries(api.models)) {
      if (!isObject(modelUsage) || !Array.isArray(modelUsage.details)) continue;
      const model = rawModel.trim() || 'unknown';
      for (const detail of modelUsage.details) {
        if (!isObject(detail)) continue;
        const exported = exportedRecord.safeParse(detail.switchyard);
        records.push(exported.success ? (exported.data as UsageRecord) : recordFromDetail(apiName, model, detail, now));
      }
    }
  }
  return records;
}
