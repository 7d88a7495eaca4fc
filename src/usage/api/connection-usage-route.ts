import { sendJson, type HttpContext } from '../../server/http-context.ts';
import { ManagementError, managementRoute } from '../../server/management/management-route.ts';
import type { UsageQuery } from '../../storage/usage-store.ts';
import { describeCredential, describeUsageSummary, describeUsageTotals } from './describe-usage.ts';
import { credentialIdOf, usageFiltersOf } from './usage-filters.ts';
import { usageServicesOf } from './usage-services.ts';
import { isoOrNull, usageIntervalOf, usageTimeRangeOf } from './usage-time-range.ts';

/**
 * `GET /api/usage/:connectionId`: what one upstream credential (by id, e.g. `claude-api-key[0]`,
 * or by auth index) served in a window (default: the last 30 days), by model and over time. Unlike
 * OmniRoute this reports the gateway's own records, not the provider's quota. 404 for a credential
 * that is neither configured nor in the history.
 */
export const connectionUsageRoute = managementRoute(async (context: HttpContext) => {
  const { usageStore } = usageServicesOf(context);
  const { credentials } = context.snapshot.config;
  const credentialId = credentialIdOf(context.params.connectionId ?? '', credentials);
  const credential = credentials.find((candidate) => candidate.id === credentialId);
  if (!credential && (await usageStore.totals({ credentialId })).requests === 0) throw new ManagementError(404, 'Connection not found');
  const now = Date.now();
  const range = usageTimeRangeOf(context.query, now, '30d');
  const interval = usageIntervalOf(context.query, range, now);
  const query: UsageQuery = { ...usageFiltersOf(context.query, credentials), credentialId, from: range.from, to: range.to };
  const [totals, models, series] = await Promise.all([usageStore.totals(query), usageStore.grouped(query, 'model'), usageStore.grouped(query, interval)]);
  sendJson(context, 200, {
    ...describeCredential(credentialId, credentials),
    type: credential?.type ?? null,
    range: range.range,
    from: isoOrNull(range.from),
    to: isoOrNull(range.to),
    interval,
    summary: describeUsageSummary(totals),
    byModel: models.map((row) => ({ model: row.key, ...describeUsageTotals(row) })),
    timeSeries: series.map((row) => ({ date: row.key, ...describeUsageTotals(row) })),
  });
});
