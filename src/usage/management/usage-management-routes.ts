import type { GatewayRuntime } from '../../gateway/runtime.ts';
import { maskSecret } from '../../observability/mask-secret.ts';
import { sendJson, type HttpContext, type RouteHandler } from '../../server/http-context.ts';
import { ManagementError, managementRoute, readJsonObjectBody } from '../../server/management/management-route.ts';
import { configSettingRoutes, parseBoolean } from '../../server/management/config-setting-routes.ts';
import type { UsageStore } from '../../storage/usage-store.ts';
import type { RecentRequestBucket } from '../credential-usage.ts';
import type { UsageRecorder } from '../usage-recorder.ts';
import { UsageRecordBatch } from '../usage-record-batch.ts';
import { usageRecordsFromSnapshot } from '../usage-records-from-snapshot.ts';
import { writeUsageExport } from '../write-usage-export.ts';

/** The runtime objects these routes need; the gateway runtime carries them once accounting is wired. */
export interface UsageRuntimeParts {
  usage: UsageRecorder;
  usageStore: UsageStore;
}

/** Exports grow with history; an import body is held in memory while it is parsed, hence a bound. */
const IMPORT_LIMIT_BYTES = 256 * 1024 * 1024;
const IMPORT_BATCH = 500;

function usageParts(runtime: GatewayRuntime): UsageRuntimeParts {
  const { usage, usageStore } = runtime;
  if (!usage || !usageStore) throw new ManagementError(503, 'usage statistics unavailable');
  return { usage, usageStore };
}

/** `GET /v0/management/usage` → `{"usage": S, "failed_requests": N}` (in memory: totals since start plus history, recent details). */
export const getUsageRoute = managementRoute((context: HttpContext) => {
  const snapshot = usageParts(context.runtime).usage.statistics.snapshot();
  sendJson(context, 200, { usage: snapshot, failed_requests: snapshot.failure_count });
});

/** `GET /v0/management/usage/export` → `{version: 1, exported_at, usage: S}`, every detail in storage, streamed. */
export const exportUsageRoute = managementRoute(async (context: HttpContext) => {
  const { usage, usageStore } = usageParts(context.runtime);
  await usage.flush();
  const to = Date.now();
  context.res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': context.requestId });
  try {
    await writeUsageExport(context.res, usageStore, to);
    context.res.end();
  } catch (error) {
    // The status line is gone: cutting the connection is the only way to say the body is incomplete.
    context.runtime.logger.warn({ err: error, requestId: context.requestId }, 'usage export failed part way');
    context.res.destroy(error as Error);
  }
});

/**
 * `POST /v0/management/usage/import {version, usage}` → `{added, skipped, total_requests,
 * failed_requests}`. Details already stored (same id) are skipped, so importing an export twice
 * adds nothing the second time; added ones count in `GET /usage` at once.
 */
export const importUsageRoute = managementRoute(async (context: HttpContext) => {
  const { usage, usageStore } = usageParts(context.runtime);
  const { version, usage: snapshot } = await readJsonObjectBody(context, IMPORT_LIMIT_BYTES, 'invalid json');
  if (version !== undefined && version !== 0 && version !== 1) throw new ManagementError(400, 'unsupported version');

  const records = usageRecordsFromSnapshot(snapshot, Date.now());
  const seen = new Set<string>();
  let added = 0;
  for (let index = 0; index < records.length; index += IMPORT_BATCH) {
    const batch = records.slice(index, index + IMPORT_BATCH);
    const fresh = [];
    for (const record of batch) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      if ((await usageStore.get(record.id)) === undefined) fresh.push(record);
    }
    added += await usageStore.insert(UsageRecordBatch.of(fresh));
    for (const record of fresh) usage.statistics.add(record);
  }
  sendJson(context, 200, {
    added,
    skipped: records.length - added,
    total_requests: usage.statistics.totalRequests,
    failed_requests: usage.statistics.failureCount,
  });
});

/** `GET /v0/management/usage-queue?count=N` pops up to N queued details (1 without `count`). */
export const usageQueueRoute = managementRoute((context: HttpContext) => {
  const raw = context.query.get('count')?.trim() ?? '';
  const count = raw === '' ? 1 : Number(raw);
  if (!Number.isInteger(count) || count <= 0) throw new ManagementError(400, 'count must be a positive integer');
  sendJson(context, 200, usageParts(context.runtime).usage.queue.pop(count));
});

interface ApiKeyUsageEntry {
  success: number;
  failed: number;
  recent_requests: RecentRequestBucket[];
}

/**
 * `GET /v0/management/api-key-usage` → `{<provider>: {"<base-url>|<api-key>": {success, failed,
 * recent_requests}}}` for every upstream API key, as CLIProxyAPI answers it, except that the key
 * is masked. Entries sharing a base URL and key are summed.
 */
export const apiKeyUsageRoute = managementRoute((context: HttpContext) => {
  const { usage } = usageParts(context.runtime);
  const now = Date.now();
  const answer: Record<string, Record<string, ApiKeyUsageEntry>> = {};
  for (const credential of context.snapshot.config.credentials) {
    const provider = (answer[credential.provider.toLowerCase() || 'unknown'] ??= {});
    const key = `${credential.baseUrl}|${maskSecret(credential.apiKey)}`;
    const entry = usage.credentials.describe(credential.id, now);
    const existing = provider[key];
    if (!existing) {
      provider[key] = entry;
      continue;
    }
    existing.success += entry.success;
    existing.failed += entry.failed;
    existing.recent_requests.forEach((bucket, index) => {
      bucket.success += entry.recent_requests[index]!.success;
      bucket.failed += entry.recent_requests[index]!.failed;
    });
  }
  sendJson(context, 200, answer);
});

/** `GET|PUT|PATCH /v0/management/usage-statistics-enabled`, saved to config.yaml. */
const usageStatisticsEnabledRoutes = configSettingRoutes<boolean>({
  key: 'usage-statistics-enabled',
  read: (config) => config.usageStatisticsEnabled,
  parse: parseBoolean,
});

export const usageManagementRoutes: Array<{ method: string; path: string; handler: RouteHandler }> = [
  { method: 'GET', path: '/v0/management/usage', handler: getUsageRoute },
  { method: 'GET', path: '/v0/management/usage/export', handler: exportUsageRoute },
  { method: 'POST', path: '/v0/management/usage/import', handler: importUsageRoute },
  { method: 'GET', path: '/v0/management/usage-queue', handler: usageQueueRoute },
  { method: 'GET', path: '/v0/management/api-key-usage', handler: apiKeyUsageRoute },
  { method: 'GET', path: '/v0/management/usage-statistics-enabled', handler: usageStatisticsEnabledRoutes.get },
  { method: 'PUT', path: '/v0/management/usage-statistics-enabled', handler: usageStatisticsEnabledRoutes.put },
  { method: 'PATCH', path: '/v0/management/usage-statistics-enabled', handler: usageStatisticsEnabledRoutes.put },
];
