import { ManagementError } from '../../server/management/management-route.ts';
import { startOfUtcDay } from '../utc-calendar.ts';

export type UsageInterval = 'hour' | 'day';

export interface UsageTimeRange {
  /** The preset asked for (`1d`, `7d`, `30d`, `90d`, `ytd`, `all`, ...) or `custom` for explicit bounds. */
  range: string;
  /** Epoch ms, inclusive; undefined for all time. */
  from?: number;
  /** Epoch ms, exclusive; undefined for up to now. */
  to?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PRESETS: Record<string, number> = { '1h': HOUR_MS, '24h': DAY_MS, '1d': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS, '90d': 90 * DAY_MS };
/** OmniRoute's spec names the window `period`; its dashboard sends `range`. */
const PERIODS: Record<string, string> = { day: '1d', week: '7d', month: '30d' };

function instantOf(name: string, value: string): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(parsed)) throw new ManagementError(400, `invalid ${name}: ${value} is neither an ISO date nor epoch milliseconds`);
  return parsed;
}

/**
 * The window a usage query covers: explicit `from`/`to` (or `startDate`/`endDate`, ISO or epoch
 * ms), else a `range` preset, else a `period` (`day`, `week`, `month`), else `fallback`.
 */
export function usageTimeRangeOf(query: URLSearchParams, now: number, fallback: string): UsageTimeRange {
  const fromText = query.get('from') ?? query.get('startDate');
  const toText = query.get('to') ?? query.get('endDate');
  if (fromText || toText) {
    const range: UsageTimeRange = { range: 'custom' };
    if (fromText) range.from = instantOf('from', fromText);
    if (toText) range.to = instantOf('to', toText);
    if (range.from !== undefined && range.to !== undefined && range.from >= range.to) throw new ManagementError(400, 'invalid range: from must be before to');
    return range;
  }
  const period = query.get('period');
  if (period && !PERIODS[period]) throw new ManagementError(400, `invalid period: ${period} (day, week or month)`);
  const preset = query.get('range') ?? (period ? PERIODS[period]! : fallback);
  if (preset === 'all') return { range: preset };
  if (preset === 'ytd') return { range: preset, from: Date.UTC(new Date(now).getUTCFullYear(), 0, 1) };
  if (preset === 'today') return { range: preset, from: startOfUtcDay(now) };
  const span = PRESETS[preset];
  if (span === undefined) throw new ManagementError(400, `invalid range: ${preset} (1h, 24h, 1d, 7d, 30d, 90d, today, ytd or all)`);
  return { range: preset, from: now - span };
}

/** Hourly buckets for windows of up to two days, daily ones beyond; `interval` (or `groupBy`) chooses. */
export function usageIntervalOf(query: URLSearchParams, range: UsageTimeRange, now: number): UsageInterval {
  const asked = query.get('interval') ?? query.get('groupBy');
  if (asked === 'hour' || asked === 'day') return asked;
  if (asked) throw new ManagementError(400, `invalid interval: ${asked} (hour or day)`);
  if (range.from === undefined) return 'day';
  return (range.to ?? now) - range.from <= 2 * DAY_MS ? 'hour' : 'day';
}

export function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}
