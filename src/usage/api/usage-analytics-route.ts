import { sendJson, type HttpContext } from '../../server/http-context.ts';
import { managementRoute } from '../../server/management/management-route.ts';
import type { UsageQuery } from '../../storage/usage-store.ts';
import { clientKeyLabels, describeCredential, describeUsageSummary, describeUsageTotals } from './describe-usage.ts';
import { usageFiltersOf } from './usage-filters.ts';
import { usageServicesOf } from './usage-services.ts';
import { isoOrNull, usageIntervalOf, usageTimeRangeOf } from './usage-time-range.ts';

/** OmniRoute's spec: `period` defaults to `day`. */
const ANALYTICS_DEFAULT_RANGE = '1d';
const HISTORY_DEFAULT_RANGE = '30d';

/**
 * `GET /api/usage/analytics`: totals of a window plus a time series and breakdowns by model,
 * provider, client key and credential. Filters: see `usageFiltersOf`; window: `usageTimeRangeOf`.
 */
export const usageAnalyticsRoute = managementRoute(async (context: HttpContext) => {
  const { usageStore } = usageServicesOf(context);
  const { config } = context.snapshot;
  const now = Date.now();
  const range = usageTimeRangeOf(context.query, now, ANALYTICS_DEFAULT_RANGE);
  const interval = usageIntervalOf(context.query, range, now);
  const query: UsageQuery = { ...usageFiltersOf(context.query, config.credentials), from: range.from, to: range.to };
  const [totals, series, models, providers, keys, accounts] = await Promise.all([
    usageStore.totals(query),
    usageStore.grouped(query, interval),
    usageStore.grouped(query, 'model'),
    usageStore.grouped(query, 'provider'),
    usageStore.grouped(query, 'clientKeyId'),
    usageStore.grouped(query, 'credentialId'),
  ]);
  const labels = clientKeyLabels(config.apiKeys);
  sendJson(context, 200, {
    range: range.range,
    from: isoOrNull(range.from),
    to: isoOrNull(range.to),
    interval,
    summary: {
      ...describeUsageSummary(totals),
      uniqueModels: models.length,
      uniqueProviders: providers.length,
      uniqueApiKeys: keys.filter((row) => row.key !== '').length,
      uniqueAccounts: accounts.length,
    },
    timeSeries: series.map((row) => ({ date: row.key, ...describeUsageTotals(row) })),
    byModel: models.map((row) => ({ model: row.key, ...describeUsageTotals(row) })),
    byProvider: providers.map((row) => ({ provider: row.key, ...describeUsageTotals(row) })),
    byApiKey: keys.map((row) => ({ apiKeyId: row.key || null, apiKeyName: labels.get(row.key) ?? null, ...describeUsageTotals(row) })),
    byAccount: accounts.map((row) => ({ account: row.key, ...describeCredential(row.key, config.credentials), ...describeUsageTotals(row) })),
  });
});

/** `GET /api/usage/history`: the totals of a window and its time series (default: the last 30 days, by day). */
export const usageHistoryRoute = managementRoute(async (context: HttpContext) => {
  const { usageStore } = usageServicesOf(context);
  const now = Date.now();
  const range = usageTimeRangeOf(context.query, now, HISTORY_DEFAULT_RANGE);
  const interval = usageIntervalOf(context.query, range, now);
  const query: UsageQuery = { ...usageFiltersOf(context.query, context.snapshot.config.credentials), from: range.from, to: range.to };
  const [totals, series] = await Promise.all([usageStore.totals(query), usageStore.grouped(query, interval)]);
  sendJson(context, 200, {
    range: range.range,
    from: isoOrNull(range.from),
    to: isoOrNull(range.to),
    interval,
    totals: describeUsageTotals(totals),
    history: series.map((row) => ({ date: row.key, ...describeUsageTotals(row) })),
  });
});
