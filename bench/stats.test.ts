import { describe, expect, it } from 'vitest';
import { interquartileRange, median, percentile } from './stats.ts';

describe('stats', () => {
  it('takes percentiles by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('sorts before taking the median and the interquartile range', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(interquartileRange([8, 1, 2, 3, 4, 5, 6, 7])).toBe(4);
  });
});
