import { describe, expect, it } from 'vitest';
import { planUsageSegments } from './plan-usage-segments.ts';

const H = 3_600_000;
const D = 24 * H;
const T = Date.UTC(2025, 5, 1);

describe('planUsageSegments', () => {
  it('reads the daily rollup alone for an unbounded range, and the hourly one when hours are asked for', () => {
    expect(planUsageSegments(undefined, undefined, true)).toEqual([{ source: 'usage_daily', from: undefined, to: undefined }]);
    expect(planUsageSegments(undefined, undefined, false)).toEqual([{ source: 'usage_hourly', from: undefined, to: undefined }]);
  });

  it('covers a range cut mid-hour with raw edges, hourly partial days and whole days, without gaps or overlaps', () => {
    const from = T + 5 * H + 10;
    const to = T + 3 * D + 7 * H + 20;
    expect(planUsageSegments(from, to, true)).toEqual([
      { source: 'usage_records', from, to: T + 6 * H },
      { source: 'usage_hourly', from: T + 6 * H, to: T + D },
      { source: 'usage_daily', from: T + D, to: T + 3 * D },
      { source: 'usage_hourly', from: T + 3 * D, to: T + 3 * D + 7 * H },
      { source: 'usage_records', from: T + 3 * D + 7 * H, to },
    ]);
  });

  it('uses raw records only inside one hour, and nothing for an empty range', () => {
    expect(planUsageSegments(T + 10, T + 20, true)).toEqual([{ source: 'usage_records', from: T + 10, to: T + 20 }]);
    expect(planUsageSegments(T + 20, T + 20, true)).toEqual([]);
    expect(planUsageSegments(T + 30, T + 20, true)).toEqual([]);
  });

  it('needs no raw edge on hour boundaries, and no days inside a single day', () => {
    expect(planUsageSegments(T + H, T + 5 * H, true)).toEqual([{ source: 'usage_hourly', from: T + H, to: T + 5 * H }]);
    expect(planUsageSegments(T, T + 2 * D, true)).toEqual([{ source: 'usage_daily', from: T, to: T + 2 * D }]);
    expect(planUsageSegments(T + 90 * 60_000, undefined, true)).toEqual([
      { source: 'usage_records', from: T + 90 * 60_000, to: T + 2 * H },
      { source: 'usage_hourly', from: T + 2 * H, to: T + D },
      { source: 'usage_daily', from: T + D, to: undefined },
    ]);
  });
});
