import type { BudgetConfig } from '../config/types.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { clientKeyIdOf } from '../gateway/attempt-record.ts';
import { maskSecret } from '../observability/mask-secret.ts';
import type { RequestFinishedEvent, RequestObserver } from '../observability/request-events.ts';
import { systemClock, type Clock } from '../routing/state/routing-state-store.ts';
import type { UsageStore } from '../storage/usage-store.ts';
import type { UsageRecord } from './usage-record.ts';
import { startOfNextUtcDay, startOfNextUtcMonth, startOfUtcDay, startOfUtcMonth } from './utc-calendar.ts';

export type BudgetWindow = 'daily' | 'monthly';

/** The `budgets:` entry that applies to every client key without its own. */
export const DEFAULT_BUDGET = 'default';

/** Why a client key may not start another request now. */
export interface BudgetDenial {
  window: BudgetWindow;
  limitUsd: number;
  spentUsd: number;
  /** Epoch ms when the window resets. */
  resetsAt: number;
  retryAfterSeconds: number;
  message: string;
}

export interface BudgetStatus {
  apiKeyId: string;
  /** The key masked for display (`sk-a…wxyz`), or `''` for requests made without a key. */
  apiKeyLabel: string;
  /** Whether the key's own entry or the `default` entry sets its limits (null: no budget). */
  budgetSource: 'key' | 'default' | null;
  dailyLimitUsd: number | null;
  monthlyLimitUsd: number | null;
  totalCostToday: number;
  totalCostMonth: number;
  /** ISO times when today's and this month's spend reset (UTC midnight). */
  dailyResetAt: string;
  monthlyResetAt: string;
  budgetCheck: { allowed: true } | { allowed: false; window: BudgetWindow; reason: string; retryAfterSeconds: number };
}

interface Spend {
  day: number;
  month: number;
}

function formatUsd(amount: number): string {
  return amount >= 0.01 ? `$${amount.toFixed(2)}` : `$${amount}`;
}

/** Spend sums are floats over many records; a ten-billionth of a dollar hides the noise. */
function roundUsd(amount: number): number {
  return Math.round(amount * 1e10) / 1e10;
}

/**
 * Per client key daily and monthly USD budgets (UTC days and months). Spend is kept in memory per
 * key and window, seeded once from the usage store at start and then increased by every finished
 * attempt, so checking a key before routing costs two map lookups. A request that starts under the
 * budget may end over it (its cost is known only afterwards); the next one is refused.
 */
export class BudgetTracker implements RequestObserver {
  private readonly clock: Clock;
  private readonly spend = new Map<string, Spend>();
  /** Labels of the configured client keys, replaced on every reload. */
  private configuredLabels = new Map<string, string>();
  /** Labels learnt from records, for keys that spent before leaving the config. */
  private readonly seenLabels = new Map<string, string>();
  private keyLimits = new Map<string, BudgetConfig>();
  private defaultLimits: BudgetConfig | undefined;
  private dayStart = 0;
  private nextDay = 0;
  private monthStart = 0;
  private nextMonth = 0;

  constructor(options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? systemClock;
    this.roll(this.clock());
  }

  /**
   * Applies the `budgets:` config (client key or `default` → limits); `apiKeys` are the configured
   * client keys, for labels. Call again on every reload.
   */
  configure(budgets: Readonly<Record<string, BudgetConfig>>, apiKeys: readonly string[]): void {
    const keyLimits = new Map<string, BudgetConfig>();
    const labels = new Map<string, string>();
    let defaultLimits: BudgetConfig | undefined;
    for (const [key, limits] of Object.entries(budgets)) {
      if (limits.dailyUsd === undefined && limits.monthlyUsd === undefined) continue;
      if (key === DEFAULT_BUDGET) {
        defaultLimits = limits;
        continue;
      }
      keyLimits.set(clientKeyIdOf(key), limits);
      labels.set(clientKeyIdOf(key), maskSecret(key));
    }
    for (const key of apiKeys) labels.set(clientKeyIdOf(key), maskSecret(key));
    this.keyLimits = keyLimits;
    this.configuredLabels = labels;
    this.defaultLimits = defaultLimits;
  }

  /**
   * Loads this day's and this month's spend per key from the store. Call once before the server
   * accepts requests: spend observed while the queries run would be replaced by what they read.
   */
  async seed(store: Pick<UsageStore, 'grouped'>): Promise<void> {
    this.roll(this.clock());
    const [month, day] = await Promise.all([
      store.grouped({ from: this.monthStart }, 'clientKeyId'),
      store.grouped({ from: this.dayStart }, 'clientKeyId'),
    ]);
    this.spend.clear();
    for (const row of month) this.spendOf(row.key).month = row.costUsd;
    for (const row of day) this.spendOf(row.key).day = row.costUsd;
  }

  requestFinished(event: RequestFinishedEvent): void {
    for (const attempt of event.attempts) this.observe(attempt.record);
  }

  /** Adds an attempt's cost to its key's spend in the windows its timestamp falls in. */
  observe(record: UsageRecord): void {
    if (record.clientKeyLabel && !this.seenLabels.has(record.clientKeyId)) this.seenLabels.set(record.clientKeyId, record.clientKeyLabel);
    if (record.costUsd <= 0) return;
    this.roll(this.clock());
    if (record.timestamp < this.monthStart) return;
    const spend = this.spendOf(record.clientKeyId);
    spend.month += record.costUsd;
    if (record.timestamp >= this.dayStart) spend.day += record.costUsd;
  }

  /** Undefined when the key may start a request; otherwise the window that is used up (the later reset when both are). */
  check(clientKeyId: string): BudgetDenial | undefined {
    const limits = this.limitsOf(clientKeyId);
    if (!limits) return undefined;
    const now = this.clock();
    this.roll(now);
    const spend = this.spend.get(clientKeyId);
    if (!spend) return undefined;
    if (limits.monthlyUsd !== undefined && spend.month >= limits.monthlyUsd) return this.denial(clientKeyId, 'monthly', limits.monthlyUsd, spend.month, now);
    if (limits.dailyUsd !== undefined && spend.day >= limits.dailyUsd) return this.denial(clientKeyId, 'daily', limits.dailyUsd, spend.day, now);
    return undefined;
  }

  status(clientKeyId: string): BudgetStatus {
    const now = this.clock();
    this.roll(now);
    const limits = this.limitsOf(clientKeyId);
    const spend = this.spend.get(clientKeyId);
    const denial = this.check(clientKeyId);
    return {
      apiKeyId: clientKeyId,
      apiKeyLabel: this.labelOf(clientKeyId),
      budgetSource: this.keyLimits.has(clientKeyId) ? 'key' : limits ? 'default' : null,
      dailyLimitUsd: limits?.dailyUsd ?? null,
      monthlyLimitUsd: limits?.monthlyUsd ?? null,
      totalCostToday: roundUsd(spend?.day ?? 0),
      totalCostMonth: roundUsd(spend?.month ?? 0),
      dailyResetAt: new Date(this.nextDay).toISOString(),
      monthlyResetAt: new Date(this.nextMonth).toISOString(),
      budgetCheck: denial
        ? { allowed: false, window: denial.window, reason: denial.message, retryAfterSeconds: denial.retryAfterSeconds }
        : { allowed: true },
    };
  }

  /** Every key that is configured, has its own budget or has spent something this month. */
  statuses(): BudgetStatus[] {
    const ids = new Set([...this.configuredLabels.keys(), ...this.keyLimits.keys(), ...this.spend.keys()]);
    return [...ids].map((id) => this.status(id)).sort((a, b) => a.apiKeyLabel.localeCompare(b.apiKeyLabel) || a.apiKeyId.localeCompare(b.apiKeyId));
  }

  /** The limits of keys without their own entry. */
  defaults(): BudgetConfig | undefined {
    return this.defaultLimits;
  }

  private limitsOf(clientKeyId: string): BudgetConfig | undefined {
    return this.keyLimits.get(clientKeyId) ?? this.defaultLimits;
  }

  private labelOf(clientKeyId: string): string {
    return this.configuredLabels.get(clientKeyId) ?? this.seenLabels.get(clientKeyId) ?? clientKeyId;
  }

  private spendOf(clientKeyId: string): Spend {
    let spend = this.spend.get(clientKeyId);
    if (!spend) {
      spend = { day: 0, month: 0 };
      this.spend.set(clientKeyId, spend);
    }
    return spend;
  }

  /** Starts a new day (and month) once the clock passes its boundary. */
  private roll(now: number): void {
    if (now < this.nextDay) return;
    const newMonth = now >= this.nextMonth;
    this.dayStart = startOfUtcDay(now);
    this.nextDay = startOfNextUtcDay(now);
    if (newMonth) {
      this.monthStart = startOfUtcMonth(now);
      this.nextMonth = startOfNextUtcMonth(now);
    }
    for (const spend of this.spend.values()) {
      spend.day = 0;
      if (newMonth) spend.month = 0;
    }
  }

  private denial(clientKeyId: string, window: BudgetWindow, limitUsd: number, spentUsd: number, now: number): BudgetDenial {
    const resetsAt = window === 'daily' ? this.nextDay : this.nextMonth;
    const label = this.labelOf(clientKeyId);
    const whose = clientKeyId ? ` for key ${label}` : '';
    const when = window === 'daily' ? 'at 00:00 UTC' : `on ${new Date(resetsAt).toISOString().slice(0, 10)} at 00:00 UTC`;
    return {
      window,
      limitUsd,
      spentUsd: roundUsd(spentUsd),
      resetsAt,
      retryAfterSeconds: Math.max(1, Math.ceil((resetsAt - now) / 1000)),
      message: `${window} budget of ${formatUsd(limitUsd)}${whose} reached; resets ${when}`,
    };
  }
}

/** The 429 a client gets when its key is over budget (another credential would not help, so not retryable). */
export function budgetExceededError(denial: BudgetDenial): GatewayError {
  return new GatewayError({ status: 429, code: 'rate_limited', message: denial.message, retryAfter: denial.retryAfterSeconds, retryable: false });
}
