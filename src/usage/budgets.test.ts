import { describe, expect, it } from 'vitest';
import { clientKeyIdOf } from '../gateway/attempt-record.ts';
import type { RequestFinishedEvent } from '../observability/request-events.ts';
import { BudgetTracker, budgetExceededError } from './budgets.ts';
import { InMemoryUsageStore } from './test-support/in-memory-usage-store.ts';
import { usageRecordFixture } from './test-support/usage-record-fixture.ts';
import { UsageRecordBatch } from './usage-record-batch.ts';

const KEY_A = 'sk-alpha-0000-aaaa';
const KEY_B = 'sk-bravo-1111-bbbb';
const A = clientKeyIdOf(KEY_A);
const B = clientKeyIdOf(KEY_B);
const NOON = Date.UTC(2026, 10, 27, 12, 0, 0);

function trackerAt(start: number) {
  const clock = { now: start };
  const tracker = new BudgetTracker({ clock: () => clock.now });
  return { tracker, clock };
}

function spent(tracker: BudgetTracker, clientKeyId: string, costUsd: number, timestamp: number) {
  tracker.observe(usageRecordFixture({ clientKeyId, costUsd, timestamp }));
}

describe('BudgetTracker', () => {
  it('ignores entries without a limit', () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({ default: {}, [KEY_A]: { dailyUsd: undefined } }, [KEY_A]);
    spent(tracker, A, 1_000, NOON);
    expect(tracker.check(A)).toBeUndefined();
    expect(tracker.defaults()).toBeUndefined();
  });

  it('lets every request through when no budget is set', () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({}, [KEY_A]);
    spent(tracker, A, 1_000, NOON);
    expect(tracker.check(A)).toBeUndefined();
  });

  it('refuses a key once its daily spend reaches the budget, until the next UTC day', () => {
    const { tracker, clock } = trackerAt(NOON);
    tracker.configure({ default: { dailyUsd: 1 } }, [KEY_A]);
    spent(tracker, A, 0.6, NOON);
    expect(tracker.check(A)).toBeUndefined();
    spent(tracker, A, 0.5, NOON + 1_000);
    expect(tracker.check(A)).toEqual({
      window: 'daily',
      limitUsd: 1,
      spentUsd: 1.1,
      resetsAt: Date.UTC(2026, 10, 28),
      retryAfterSeconds: 12 * 3600,
      message: 'daily budget of $1.00 for key sk-a…aaaa reached; resets at 00:00 UTC',
    });
    clock.now = Date.UTC(2026, 10, 28, 0, 0, 1);
    expect(tracker.check(A)).toBeUndefined();
    expect(tracker.status(A).totalCostToday).toBe(0);
    expect(tracker.status(A).totalCostMonth).toBe(1.1);
  });

  it('refuses a key over its monthly budget until the first of next month, and reports the later reset when both are used up', () => {
    const { tracker, clock } = trackerAt(NOON);
    tracker.configure({ [KEY_A]: { dailyUsd: 1, monthlyUsd: 2 } }, [KEY_A]);
    spent(tracker, A, 0.9, Date.UTC(2026, 10, 26, 9));
    spent(tracker, A, 0.9, Date.UTC(2026, 10, 26, 10));
    spent(tracker, A, 1.2, NOON);
    const denial = tracker.check(A);
    expect(denial?.window).toBe('monthly');
    expect(denial?.message).toBe('monthly budget of $2.00 for key sk-a…aaaa reached; resets on 2026-12-01 at 00:00 UTC');
    expect(denial?.retryAfterSeconds).toBe((Date.UTC(2026, 11, 1) - NOON) / 1000);
    clock.now = Date.UTC(2026, 11, 1, 0, 0, 0);
    expect(tracker.check(A)).toBeUndefined();
  });

  it("applies a key's own entry instead of the default", () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({ default: { dailyUsd: 1 }, [KEY_B]: { monthlyUsd: 100 } }, [KEY_A, KEY_B]);
    spent(tracker, A, 1.5, NOON);
    spent(tracker, B, 1.5, NOON);
    expect(tracker.check(A)?.window).toBe('daily');
    expect(tracker.check(B)).toBeUndefined();
  });

  it('counts an attempt in the windows of its timestamp', () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({ default: { dailyUsd: 10, monthlyUsd: 10 } }, [KEY_A]);
    spent(tracker, A, 1, Date.UTC(2026, 10, 26, 23, 59)); // yesterday: month only
    spent(tracker, A, 2, Date.UTC(2026, 9, 31, 23, 59)); // last month: neither
    spent(tracker, A, 4, NOON);
    expect(tracker.status(A)).toMatchObject({ totalCostToday: 4, totalCostMonth: 5 });
  });

  it('seeds this day and month from the store', async () => {
    const store = new InMemoryUsageStore();
    await store.insert(UsageRecordBatch.of([
      usageRecordFixture({ clientKeyId: A, costUsd: 0.25, timestamp: Date.UTC(2026, 10, 27, 1) }),
      usageRecordFixture({ clientKeyId: A, costUsd: 0.5, timestamp: Date.UTC(2026, 10, 3) }),
      usageRecordFixture({ clientKeyId: A, costUsd: 8, timestamp: Date.UTC(2026, 9, 30) }),
      usageRecordFixture({ clientKeyId: B, costUsd: 3, timestamp: Date.UTC(2026, 10, 27, 2) }),
    ]));
    const { tracker } = trackerAt(NOON);
    tracker.configure({ default: { dailyUsd: 3 } }, [KEY_A, KEY_B]);
    await tracker.seed(store);
    expect(tracker.status(A)).toMatchObject({ totalCostToday: 0.25, totalCostMonth: 0.75 });
    expect(tracker.check(B)?.window).toBe('daily');
    spent(tracker, A, 0.5, NOON);
    expect(tracker.status(A)).toMatchObject({ totalCostToday: 0.75, totalCostMonth: 1.25 });
  });

  it('observes finished requests, every attempt included', () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({ default: { dailyUsd: 1 } }, [KEY_A]);
    const event = {
      requestId: 'r1',
      attempts: [
        { record: usageRecordFixture({ clientKeyId: A, costUsd: 0, failed: true, timestamp: NOON }) },
        { record: usageRecordFixture({ clientKeyId: A, costUsd: 1.25, timestamp: NOON }) },
      ],
    } as unknown as RequestFinishedEvent;
    tracker.requestFinished(event);
    expect(tracker.status(A).totalCostToday).toBe(1.25);
    expect(tracker.check(A)).toBeDefined();
  });

  it('words the refusal without a key when requests need none', () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({ default: { dailyUsd: 0.005 } }, []);
    spent(tracker, '', 0.01, NOON);
    expect(tracker.check('')?.message).toBe('daily budget of $0.005 reached; resets at 00:00 UTC');
  });

  it('describes every configured key, its limits and its spend', () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({ default: { dailyUsd: 5 }, [KEY_B]: { monthlyUsd: 50 } }, [KEY_A, KEY_B]);
    spent(tracker, B, 60, NOON);
    expect(tracker.statuses()).toEqual([
      {
        apiKeyId: A,
        apiKeyLabel: 'sk-a…aaaa',
        budgetSource: 'default',
        dailyLimitUsd: 5,
        monthlyLimitUsd: null,
        totalCostToday: 0,
        totalCostMonth: 0,
        dailyResetAt: '2026-11-28T00:00:00.000Z',
        monthlyResetAt: '2026-12-01T00:00:00.000Z',
        budgetCheck: { allowed: true },
      },
      {
        apiKeyId: B,
        apiKeyLabel: 'sk-b…bbbb',
        budgetSource: 'key',
        dailyLimitUsd: null,
        monthlyLimitUsd: 50,
        totalCostToday: 60,
        totalCostMonth: 60,
        dailyResetAt: '2026-11-28T00:00:00.000Z',
        monthlyResetAt: '2026-12-01T00:00:00.000Z',
        budgetCheck: {
          allowed: false,
          window: 'monthly',
          reason: 'monthly budget of $50.00 for key sk-b…bbbb reached; resets on 2026-12-01 at 00:00 UTC',
          retryAfterSeconds: (Date.UTC(2026, 11, 1) - NOON) / 1000,
        },
      },
    ]);
  });

  it('forgets keys that left the config unless they spent this month', () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({}, [KEY_A, KEY_B]);
    tracker.observe(usageRecordFixture({ clientKeyId: B, clientKeyLabel: 'sk-b…bbbb', costUsd: 2, timestamp: NOON }));
    tracker.configure({}, []);
    expect(tracker.statuses().map((status) => [status.apiKeyId, status.apiKeyLabel, status.totalCostToday])).toEqual([[B, 'sk-b…bbbb', 2]]);
  });

  it('turns a refusal into a 429 with Retry-After', () => {
    const { tracker } = trackerAt(NOON);
    tracker.configure({ default: { dailyUsd: 1 } }, [KEY_A]);
    spent(tracker, A, 1, NOON);
    const error = budgetExceededError(tracker.check(A)!);
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBe(43_200);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('daily budget of $1.00 for key sk-a…aaaa reached; resets at 00:00 UTC');
  });
});
