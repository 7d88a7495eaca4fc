import type { ComboConfig } from '../config/types.ts';
import type { StrategyContext, TargetHealth } from './strategies/combo-strategy.ts';
import { systemClock, type Clock } from './state/routing-state-store.ts';

/** Weight of the newest sample in the smoothed latency to first byte. */
const LATENCY_ALPHA = 0.2;
/** How many of a model's latest settled attempts its success rate covers. */
const SUCCESS_WINDOW = 20;

/** What the metrics cannot know and the runtime can: breakers, cooldowns, prices. */
export interface TargetHealthSources {
  /** False when every credential of the model is cooling down or its provider's breaker is open. */
  isAvailable(model: string): boolean;
  isHalfOpen?(model: string): boolean;
  costPerMillion?(model: string): number | undefined;
}

/** One upstream attempt; settle it exactly once (later calls are ignored). */
export interface ComboAttempt {
  /** `latencyMs`: time to the first byte of the upstream response. */
  succeeded(latencyMs: number): void;
  failed(error: string): void;
}

/** One client request for a combo; finish it exactly once (later calls are ignored). */
export interface ComboRequest {
  attempt(model: string): ComboAttempt;
  finish(succeeded: boolean): void;
}

export interface ComboTargetMetricsView {
  model: string;
  requests: number;
  successes: number;
  failures: number;
  inFlight: number;
  /** Percent of settled attempts that succeeded, 0..100; null before the first settles. */
  successRate: number | null;
  /** Smoothed latency to first byte, ms (rounded); null before the first success. */
  avgLatencyMs: number | null;
  lastUsedAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
}

export interface ComboMetricsView {
  name: string;
  strategy: string;
  requests: number;
  successes: number;
  failures: number;
  inFlight: number;
  successRate: number | null;
  lastUsedAt: string | null;
  targets: ComboTargetMetricsView[];
}

export interface ComboMetricsSnapshot {
  combos: ComboMetricsView[];
}

interface TargetRecord {
  requests: number;
  successes: number;
  failures: number;
  inFlight: number;
  /** The latest outcomes, oldest first, at most SUCCESS_WINDOW (true: success). */
  recent: boolean[];
  latencyMs?: number;
  lastUsedAt?: number;
  lastSuccessAt?: number;
  lastError?: string;
}

interface ComboRecord {
  requests: number;
  successes: number;
  failures: number;
  lastUsedAt?: number;
  /** Per target, in the order first used. */
  targets: Map<string, TargetRecord>;
}

function newTarget(): TargetRecord {
  return { requests: 0, successes: 0, failures: 0, inFlight: 0, recent: [] };
}

function remember(record: TargetRecord, succeeded: boolean): void {
  if (record.recent.length === SUCCESS_WINDOW) record.recent.shift();
  record.recent.push(succeeded);
}

function recentSuccessRate(record: TargetRecord | undefined): number | undefined {
  if (!record || record.recent.length === 0) return undefined;
  let successes = 0;
  for (const outcome of record.recent) if (outcome) successes++;
  return successes / record.recent.length;
}

function smooth(previous: number | undefined, sample: number, alpha: number): number {
  return previous === undefined ? sample : previous + alpha * (sample - previous);
}

function percent(successes: number, failures: number): number | null {
  const settled = successes + failures;
  return settled === 0 ? null : Math.round((successes / settled) * 1000) / 10;
}

function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

/**
 * In-process combo metrics. Each attempt is recorded twice: under its model for every route (the
 * health strategies read: a model is as healthy as its last attempts, whichever combo or plain
 * request made them) and under its combo for the `/api/combos/metrics` view.
 */
export class ComboMetrics {
  private readonly clock: Clock;
  private readonly models = new Map<string, TargetRecord>();
  private readonly combos = new Map<string, ComboRecord>();
  private readonly cursors = new Map<string, number>();

  constructor(options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Starts a client request for a combo; attempts made through it count for the combo too. */
  startComboRequest(comboName: string): ComboRequest {
    const combo = this.comboRecord(comboName);
    combo.requests++;
    combo.lastUsedAt = this.clock();
    let finished = false;
    return {
      attempt: (model) => {
        let target = combo.targets.get(model);
        if (!target) combo.targets.set(model, (target = newTarget()));
        return this.track([this.modelRecord(model), target]);
      },
      finish: (succeeded) => {
        if (finished) return;
        finished = true;
        if (succeeded) combo.successes++;
        else combo.failures++;
      },
    };
  }

  /** An attempt outside any combo (a plain model or its fallback chain): feeds health only. */
  startAttempt(model: string): ComboAttempt {
    return this.track([this.modelRecord(model)]);
  }

  health(model: string, sources: TargetHealthSources): TargetHealth {
    const record = this.models.get(model);
    return {
      available: sources.isAvailable(model),
      halfOpen: sources.isHalfOpen?.(model),
      successRate: recentSuccessRate(record),
      latencyMs: record?.latencyMs,
      inFlight: record?.inFlight,
      requests: record?.requests,
      lastSuccessAt: record?.lastSuccessAt,
      costPerMillion: sources.costPerMillion?.(model),
    };
  }

  /**
   * The strategy context for one ordering of a combo (fits ComboResolver's factory). Each call
   * advances the combo's round-robin cursor.
   */
  strategyContext(comboName: string, models: readonly string[], sources: TargetHealthSources, random: () => number = Math.random): StrategyContext {
    const cursor = this.cursors.get(comboName) ?? 0;
    this.cursors.set(comboName, cursor + 1);
    return { health: new Map(models.map((model) => [model, this.health(model, sources)])), cursor, random };
  }

  /** The configured combos (in config order, data or not) with what was recorded for them. */
  snapshot(combos: readonly Pick<ComboConfig, 'name' | 'strategy' | 'targets'>[]): ComboMetricsSnapshot {
    return {
      combos: combos.map((config) => {
        const record = this.combos.get(config.name);
        const targets = [...(record?.targets ?? new Map<string, TargetRecord>())];
        // Configured targets first in their order; models reached through nested combos after, in
        // the order first used (the sort is stable).
        const position = new Map(config.targets.map((target, index) => [target.model, index]));
        const rank = (model: string) => position.get(model) ?? config.targets.length;
        targets.sort(([a], [b]) => rank(a) - rank(b));
        let inFlight = 0;
        for (const [, target] of targets) inFlight += target.inFlight;
        return {
          name: config.name,
          strategy: config.strategy,
          requests: record?.requests ?? 0,
          successes: record?.successes ?? 0,
          failures: record?.failures ?? 0,
          inFlight,
          successRate: percent(record?.successes ?? 0, record?.failures ?? 0),
          lastUsedAt: isoOrNull(record?.lastUsedAt),
          targets: targets.map(([model, target]) => ({
            model,
            requests: target.requests,
            successes: target.successes,
            failures: target.failures,
            inFlight: target.inFlight,
            successRate: percent(target.successes, target.failures),
            avgLatencyMs: target.latencyMs === undefined ? null : Math.round(target.latencyMs),
            lastUsedAt: isoOrNull(target.lastUsedAt),
            lastSuccessAt: isoOrNull(target.lastSuccessAt),
            lastError: target.lastError ?? null,
          })),
        };
      }),
    };
  }

  private track(records: TargetRecord[]): ComboAttempt {
    const now = this.clock();
    for (const record of records) {
      record.requests++;
      record.inFlight++;
      record.lastUsedAt = now;
    }
    let settled = false;
    const settle = (apply: (record: TargetRecord) => void) => {
      if (settled) return;
      settled = true;
      for (const record of records) {
        record.inFlight--;
        apply(record);
      }
    };
    return {
      succeeded: (latencyMs) => {
        const at = this.clock();
        settle((record) => {
          record.successes++;
          remember(record, true);
          record.latencyMs = smooth(record.latencyMs, latencyMs, LATENCY_ALPHA);
          record.lastSuccessAt = at;
        });
      },
      failed: (error) =>
        settle((record) => {
          record.failures++;
          remember(record, false);
          record.lastError = error;
        }),
    };
  }

  private modelRecord(model: string): TargetRecord {
    let record = this.models.get(model);
    if (!record) this.models.set(model, (record = newTarget()));
    return record;
  }

  private comboRecord(name: string): ComboRecord {
    let record = this.combos.get(name);
    if (!record) this.combos.set(name, (record = { requests: 0, successes: 0, failures: 0, targets: new Map() }));
    return record;
  }
}
