import { ROLLUP_DAY_MS, ROLLUP_HOUR_MS } from './rollup-tables.ts';

export interface UsageSegment {
  source: 'usage_records' | 'usage_hourly' | 'usage_daily';
  /** Epoch ms, inclusive; undefined = unbounded. */
  from?: number;
  /** Epoch ms, exclusive; undefined = unbounded. */
  to?: number;
}

const floorTo = (value: number, step: number) => Math.floor(value / step) * step;
const ceilTo = (value: number, step: number) => Math.ceil(value / step) * step;

/**
 * Splits a time range into the cheapest sources that cover it exactly: whole UTC days from the
 * daily rollup, whole hours from the hourly one, and only the partial hours at the edges from raw
 * records. `withDays: false` keeps hours apart (grouping by hour cannot read daily totals).
 */
export function planUsageSegments(from: number | undefined, to: number | undefined, withDays: boolean): UsageSegment[] {
  if (from !== undefined && to !== undefined && from >= to) return [];
  const hourFrom = from === undefined ? undefined : ceilTo(from, ROLLUP_HOUR_MS);
  const hourTo = to === undefined ? undefined : floorTo(to, ROLLUP_HOUR_MS);
  if (hourFrom !== undefined && hourTo !== undefined && hourFrom >= hourTo) return [{ source: 'usage_records', from, to }];

  const segments: UsageSegment[] = [];
  if (from !== undefined && from < hourFrom!) segments.push({ source: 'usage_records', from, to: hourFrom });
  const dayFrom = hourFrom === undefined ? undefined : ceilTo(hourFrom, ROLLUP_DAY_MS);
  const dayTo = hourTo === undefined ? undefined : floorTo(hourTo, ROLLUP_DAY_MS);
  if (!withDays || (dayFrom !== undefined && dayTo !== undefined && dayFrom >= dayTo)) {
    segments.push({ source: 'usage_hourly', from: hourFrom, to: hourTo });
  } else {
    if (hourFrom !== undefined && hourFrom < dayFrom!) segments.push({ source: 'usage_hourly', from: hourFrom, to: dayFrom });
    segments.push({ source: 'usage_daily', from: dayFrom, to: dayTo });
    if (hourTo !== undefined && dayTo! < hourTo) segments.push({ source: 'usage_hourly', from: dayTo, to: hourTo });
  }
  if (to !== undefined && hourTo! < to) segments.push({ source: 'usage_records', from: hourTo, to });
  return segments;
}
