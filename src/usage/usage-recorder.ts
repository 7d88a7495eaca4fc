import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../observability/logger.ts';
import type { RequestFinishedEvent, RequestObserver } from '../observability/request-events.ts';
import type { UsageStore } from '../storage/usage-store.ts';
import { apiNameOf } from './cliproxy-usage-snapshot.ts';
import { CredentialUsage } from './credential-usage.ts';
import { UsageRecordBatch } from './usage-record-batch.ts';
import { UsageQueue } from './usage-queue.ts';
import { UsageStatistics, type UsageHistoryModel } from './usage-statistics.ts';

const MAX_RETRY_DELAY_MS = 30_000;
/** How far back the start-up load looks for recent details (totals always cover all history). */
const HISTORY_DETAILS_WINDOW_MS = 7 * 86_400_000;
/** A dead store under load would drop records on every request: one warning per interval says how many. */
const DROP_WARNING_INTERVAL_MS = 10_000;
/** The smallest batch allocated: enough for a quiet second without growing. */
const MIN_BATCH_CAPACITY = 64;

export interface UsageRecorderOptions {
  store: UsageStore;
  logger: Logger;
  /** CLIProxyAPI's `usage-statistics-enabled`, read at each request so config reloads apply at once. */
  enabled?: () => boolean;
  /** Longest time a record waits in memory before a write is started, ms. */
  flushIntervalMs?: number;
  /** Records per store write; reaching it starts a write at once. */
  batchSize?: number;
  /** Records held while the store fails; beyond it the oldest are dropped (and counted). */
  maxPendingRecords?: number;
  /** Request details kept in memory per client key and model for `GET /v0/management/usage`. */
  detailsPerModel?: number;
  /** Items the usage queue holds for `GET /v0/management/usage-queue`. */
  queueCapacity?: number;
  now?: () => number;
}

/**
 * Turns finished requests into usage: one record per upstream attempt, counted at once in the
 * in-memory views (CLIProxyAPI's usage statistics, usage queue and per-credential counts) and
 * buffered for the store. The request path only pushes into memory; writes happen on a timer or
 * when a batch fills, one store transaction per batch. A failing store is retried with growing
 * delays, keeping at most `maxPendingRecords` (oldest dropped first, with a warning that counts
 * them). With statistics disabled nothing is recorded; the per-credential counts (CLIProxyAPI's
 * auth runtime state, not usage statistics) are kept either way.
 */
export class UsageRecorder implements RequestObserver {
  readonly statistics: UsageStatistics;
  readonly queue: UsageQueue;
  readonly credentials = new CredentialUsage();
  /** When this recorder started: storage holds the history before it, memory everything after. */
  readonly startedAt: number;
  private readonly store: UsageStore;
  private readonly logger: Logger;
  private readonly isEnabled: () => boolean;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxPending: number;
  private readonly detailsPerModel: number;
  private readonly now: () => number;
  /** Oldest first; the last one fills until it holds `batchSize` records. */
  private pending: UsageRecordBatch[] = [];
  private pendingCount = 0;
  /** The last batch written, cleared: the next batch reuses its columns. */
  private spare: UsageRecordBatch | undefined;
  /** The size of the last batch written: a new batch starts that big, not growing step by step under load. */
  private nextBatchCapacity = MIN_BATCH_CAPACITY;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private retryDelayMs = 0;
  private dropped = 0;
  private droppedUnreported = 0;
  private lastDropWarningAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(options: UsageRecorderOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.isEnabled = options.enabled ?? (() => true);
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 2000;
    this.maxPending = options.maxPendingRecords ?? 100_000;
    this.detailsPerModel = options.detailsPerModel ?? 1_000;
    this.statistics = new UsageStatistics(this.detailsPerModel);
    this.queue = new UsageQueue(options.queueCapacity ?? 10_000);
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  get enabled(): boolean {
    return this.isEnabled();
  }

  /** Records waiting for the store. */
  get pendingRecords(): number {
    return this.pendingCount;
  }

  /** Records dropped unwritten because the store kept failing. */
  get droppedRecords(): number {
    return this.dropped;
  }

  requestFinished(event: RequestFinishedEvent): void {
    if (event.attempts.length === 0) return;
    const enabled = this.isEnabled() && !this.closed;
    let filled = false;
    for (const { record } of event.attempts) {
      this.credentials.add(record);
      if (!enabled) continue;
      this.statistics.add(record);
      this.queue.push(record, event.method);
      let batch = this.pending.at(-1);
      if (!batch || batch.length >= this.batchSize) {
        batch = this.spare ?? new UsageRecordBatch({ capacity: this.nextBatchCapacity });
        this.spare = undefined;
        this.pending.push(batch);
      }
      batch.add(record);
      this.pendingCount++;
      filled ||= batch.length >= this.batchSize;
    }
    if (!enabled) return;
    this.bound();
    this.schedule(filled ? 0 : this.flushIntervalMs);
  }

  /** Writes everything pending (shutdown, export); resolves when done or when the store failed. */
  flush(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Stops recording and writes what is pending. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Fills the in-memory views with the history in storage from before this recorder started, so
   * `GET /v0/management/usage` survives a restart: totals from the rollups, and at most
   * `detailsPerModel` records of the last 7 days per client key and model. It may run while
   * requests are served (history ends where this recorder started, so nothing counts twice);
   * each store call is followed by a turn of the event loop, holding requests up one query at a
   * time.
   */
  async loadHistory(): Promise<void> {
    const to = this.startedAt;
    const models: UsageHistoryModel[] = [];
    for (const key of await this.store.grouped({ to }, 'clientKeyId')) {
      const [sample] = await this.store.list({ to, clientKeyId: key.key, limit: 1 });
      if (!sample) continue;
      for (const model of await this.store.grouped({ to, clientKeyId: key.key }, 'model')) {
        models.push({
          apiName: apiNameOf(sample),
          model: model.key || 'unknown',
          requests: model.requests,
          failures: model.failures,
          tokens: model.inputTokens + model.outputTokens,
          records: await this.store.list({ from: to - HISTORY_DETAILS_WINDOW_MS, to, clientKeyId: key.key, model: model.key, limit: this.detailsPerModel }),
        });
        await nextTurn();
      }
    }
    const days = new Map<string, { requests: number; tokens: number }>();
    for (const day of await this.store.grouped({ to }, 'day')) days.set(day.key, { requests: day.requests, tokens: day.inputTokens + day.outputTokens });
    const hours = new Map<string, { requests: number; tokens: number }>();
    for (const hour of await this.store.grouped({ to }, 'hour')) {
      const key = hour.key.slice(11, 13);
      const totals = hours.get(key) ?? { requests: 0, tokens: 0 };
      totals.requests += hour.requests;
      totals.tokens += hour.inputTokens + hour.outputTokens;
      hours.set(key, totals);
    }
    this.statistics.addHistory({ models, days, hours });
  }

  private schedule(delayMs: number): void {
    if (this.draining) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      // Taken out while it is written, so that nothing is added to it meanwhile.
      const batch = this.pending.shift()!;
      this.pendingCount -= batch.length;
      this.nextBatchCapacity = Math.min(Math.max(batch.length, MIN_BATCH_CAPACITY), this.batchSize);
      try {
        await this.store.insert(batch);
        this.retryDelayMs = 0;
        batch.clear();
        this.spare = batch;
      } catch (error) {
        this.pending.unshift(batch);
        this.pendingCount += batch.length;
        this.bound();
        this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, this.flushIntervalMs * 5), MAX_RETRY_DELAY_MS);
        this.logger.warn(
          { err: error, pending: this.pendingCount, retryInMs: this.retryDelayMs },
          'usage store write failed; keeping the records and retrying',
        );
        this.draining = undefined;
        if (!this.closed) this.schedule(this.retryDelayMs);
        return;
      }
    }
  }

  /** Drops the oldest pending records beyond the bound, so a dead store cannot grow memory without limit. */
  private bound(): void {
    const excess = this.pendingCount - this.maxPending;
    if (excess <= 0) return;
    for (let left = excess; left > 0; ) {
      const oldest = this.pending[0]!;
      const dropped = Math.min(left, oldest.length);
      oldest.dropOldest(dropped);
      if (oldest.length === 0) this.pending.shift();
      left -= dropped;
    }
    this.pendingCount -= excess;
    this.dropped += excess;
    this.droppedUnreported += excess;
    const now = this.now();
    if (now - this.lastDropWarningAt < DROP_WARNING_INTERVAL_MS) return;
    this.logger.warn(
      { dropped: this.droppedUnreported, droppedTotal: this.dropped },
      'usage records dropped unwritten: the store has been failing and the buffer is full',
    );
    this.droppedUnreported = 0;
    this.lastDropWarningAt = now;
  }
}
