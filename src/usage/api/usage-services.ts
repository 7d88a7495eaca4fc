import { ManagementError } from '../../server/management/management-route.ts';
import type { HttpContext } from '../../server/http-context.ts';
import type { UsageStore } from '../../storage/usage-store.ts';
import type { BudgetTracker } from '../budgets.ts';
import type { PricingTable } from '../pricing/pricing-table.ts';

/** What the usage and pricing API needs on the runtime (`runtime.usageStore`, `runtime.pricing`, `runtime.budgets`). */
export interface UsageApiServices {
  usageStore: UsageStore;
  pricing: PricingTable;
  budgets: BudgetTracker;
}

export function usageServicesOf(context: HttpContext): UsageApiServices {
  const { usageStore, pricing, budgets } = context.runtime;
  if (!usageStore || !pricing || !budgets) throw new ManagementError(503, 'usage accounting is not running');
  return { usageStore, pricing, budgets };
}
