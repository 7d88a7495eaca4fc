import { describe, expect, it } from 'vitest';
import { newRequestId } from './request-id.ts';

describe('newRequestId', () => {
  it('is a version 7 UUID carrying the time in its first 48 bits', () => {
    const now = Date.UTC(2026, 10, 27, 14, 30);
    const id = newRequestId(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
  });

  it('sorts by time and never repeats', () => {
    const ids = Array.from({ length: 1000 }, (_, index) => newRequestId(1_700_000_000_000 + index));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids.map((id) => id.slice(14))).size).toBe(1000);
  });

  it('stays unique and well-formed within one millisecond, across many refills of its entropy', () => {
    const ids = Array.from({ length: 10_000 }, () => newRequestId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(/^018bcfe5-6800-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
