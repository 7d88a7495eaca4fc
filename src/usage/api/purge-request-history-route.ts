import { z } from 'zod';
import { sendJson, type HttpContext } from '../../server/http-context.ts';
import { managementRoute, readManagementBody } from '../../server/management/management-route.ts';
import { usageServicesOf } from './usage-services.ts';

const DAY_MS = 86_400_000;
const purgeBody = z.strictObject({ olderThanDays: z.number().positive().optional() });

/**
 * `POST /api/settings/purge-request-history`: deletes the stored usage records (all, or with
 * `{"olderThanDays": N}` those older than N days), in OmniRoute's response shape. Request log files
 * are not touched (`deletedArtifacts` and `deletedDetailedLogs` stay 0); budgets keep the spend they
 * have counted, since the money was spent.
 */
export const purgeRequestHistoryRoute = managementRoute(async (context: HttpContext) => {
  const { usageStore } = usageServicesOf(context);
  const { olderThanDays } = await readManagementBody(context, purgeBody);
  const deleted = await usageStore.purge(olderThanDays === undefined ? undefined : Date.now() - olderThanDays * DAY_MS);
  context.runtime.logger.info({ requestId: context.requestId, deleted, olderThanDays }, 'request history purged through the management API');
  sendJson(context, 200, { deleted, deletedArtifacts: 0, deletedDetailedLogs: 0, errors: 0 });
});
