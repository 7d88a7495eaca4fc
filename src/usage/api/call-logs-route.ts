import { sendJson, type HttpContext } from '../../server/http-context.ts';
import { ManagementError, managementRoute } from '../../server/management/management-route.ts';
import type { UsageStore } from '../../storage/usage-store.ts';
import type { UsageRecord } from '../usage-record.ts';
import { describeCallLog } from './describe-usage.ts';
import { usageFiltersOf } from './usage-filters.ts';
import { usageServicesOf } from './usage-services.ts';
import { usageTimeRangeOf } from './usage-time-range.ts';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;
/** Offset paging reads every skipped row; deeper pages use the cursor. */
const MAX_OFFSET_WINDOW = 10_000;
/** Failover tries a handful of credentials; the bound only guards against a corrupt store. */
const MAX_ATTEMPTS = 64;

function integerParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new ManagementError(400, `invalid ${name}: ${text} (an integer from ${min} to ${max})`);
  return value;
}

/** `<epoch ms>:<record id>` of the last row of a page; the next page starts after it. */
function cursorOf(record: UsageRecord): string {
  return `${record.timestamp}:${record.id}`;
}

function parseCursor(cursor: string): { timestamp: number; id: string } {
  const colon = cursor.indexOf(':');
  const timestamp = Number(cursor.slice(0, colon));
  if (colon <= 0 || !Number.isInteger(timestamp) || colon === cursor.length - 1) throw new ManagementError(400, `invalid cursor: ${cursor}`);
  return { timestamp, id: cursor.slice(colon + 1) };
}

/**
 * `GET /api/usage/call-logs`: one row per upstream attempt, newest first, as OmniRoute's plain
 * array. Paging: `limit` (default 50, at most 500) with `offset`, or with `cursor` taken from the
 * `X-Next-Cursor` header of the previous page (present when more rows may follow).
 */
export const callLogsRoute = managementRoute(async (context: HttpContext) => {
  const { usageStore } = usageServicesOf(context);
  const limit = integerParam(context.query, 'limit', DEFAULT_PAGE, 1, MAX_PAGE);
  const offset = integerParam(context.query, 'offset', 0, 0, MAX_OFFSET_WINDOW - limit);
  const cursor = context.query.get('cursor');
  const range = usageTimeRangeOf(context.query, Date.now(), 'all');
  const records = await usageStore.list({
    ...usageFiltersOf(context.query, context.snapshot.config.credentials),
    from: range.from,
    to: range.to,
    ...(cursor ? { before: parseCursor(cursor) } : {}),
    limit: offset + limit,
  });
  const page = records.slice(offset);
  const last = page.at(-1);
  const headers = records.length === offset + limit && last ? { 'x-next-cursor': cursorOf(last) } : undefined;
  sendJson(context, 200, page.map(describeCallLog), headers);
});

async function attemptsOf(store: UsageStore, requestId: string): Promise<UsageRecord[]> {
  const attempts: UsageRecord[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const record = await store.get(`${requestId}:${attempt}`);
    if (!record) break;
    attempts.push(record);
  }
  return attempts;
}

/**
 * `GET /api/usage/call-logs/:id`: one attempt (`<request id>:<attempt>`), or the last attempt of a
 * request by its `X-Request-Id`, with every attempt of that request under `attempts`.
 */
export const callLogRoute = managementRoute(async (context: HttpContext) => {
  const { usageStore } = usageServicesOf(context);
  const id = context.params.id ?? '';
  const record = await usageStore.get(id);
  const attempts = await attemptsOf(usageStore, record ? record.requestId : id);
  const shown = record ?? attempts.at(-1);
  if (!shown) throw new ManagementError(404, `call log ${id} not found`);
  sendJson(context, 200, { ...describeCallLog(shown), attempts: attempts.map(describeCallLog) });
});
