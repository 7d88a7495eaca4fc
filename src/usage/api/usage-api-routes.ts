import type { RouteHandler } from '../../server/http-context.ts';
import { deleteBudgetRoute, getBudgetRoute, setBudgetRoute } from './budget-route.ts';
import { callLogRoute, callLogsRoute } from './call-logs-route.ts';
import { connectionUsageRoute } from './connection-usage-route.ts';
import {
  deletePricingRoute,
  getPricingRoute,
  pricingDefaultsRoute,
  pricingModelsRoute,
  replacePricingRoute,
  updatePricingRoute,
} from './pricing-route.ts';
import { purgeRequestHistoryRoute } from './purge-request-history-route.ts';
import { usageAnalyticsRoute, usageHistoryRoute } from './usage-analytics-route.ts';

export interface UsageApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Exact, or with one `:param` segment (handed over in `context.params`). */
  path: string;
  handler: RouteHandler;
}

/**
 * OmniRoute's usage and pricing API; management routes (management key, as every `/api/*` route).
 * `/api/usage/:connectionId` must be matched after the exact `/api/usage/*` paths.
 */
export const usageApiRoutes: readonly UsageApiRoute[] = [
  { method: 'GET', path: '/api/usage/analytics', handler: usageAnalyticsRoute },
  { method: 'GET', path: '/api/usage/history', handler: usageHistoryRoute },
  { method: 'GET', path: '/api/usage/call-logs', handler: callLogsRoute },
  { method: 'GET', path: '/api/usage/call-logs/:id', handler: callLogRoute },
  { method: 'GET', path: '/api/usage/budget', handler: getBudgetRoute },
  { method: 'POST', path: '/api/usage/budget', handler: setBudgetRoute },
  { method: 'DELETE', path: '/api/usage/budget', handler: deleteBudgetRoute },
  { method: 'GET', path: '/api/usage/:connectionId', handler: connectionUsageRoute },
  { method: 'GET', path: '/api/pricing', handler: getPricingRoute },
  { method: 'POST', path: '/api/pricing', handler: updatePricingRoute },
  { method: 'PATCH', path: '/api/pricing', handler: updatePricingRoute },
  { method: 'PUT', path: '/api/pricing', handler: replacePricingRoute },
  { method: 'DELETE', path: '/api/pricing', handler: deletePricingRoute },
  { method: 'GET', path: '/api/pricing/defaults', handler: pricingDefaultsRoute },
  { method: 'GET', path: '/api/pricing/models', handler: pricingModelsRoute },
  { method: 'POST', path: '/api/settings/purge-request-history', handler: purgeRequestHistoryRoute },
];
