import type { UsageRecord } from '../../usage/usage-record.ts';

/** The `type` label values of the token counter, in the order `ModelSeries.tokens` keeps them. */
export const TOKEN_TYPES = ['input', 'output', 'cached', 'cache_write', 'reasoning'] as const;

/** Request totals of one client-visible status. */
export interface StatusTotals {
  requests: number;
  errors: number;
}

export interface DialectLabels {
  provider: string;
  model: string;
  client_dialect: string;
}

/** Requests of one (provider, model) pair from one client dialect. */
export class DialectSeries {
  /** Built once and handed to the histograms on every observation, so observing allocates no label set. */
  readonly labels: DialectLabels;
  readonly byStatus = new Map<number, StatusTotals>();

  constructor(labels: DialectLabels) {
    this.labels = labels;
  }

  countRequest(status: number, failed: boolean): void {
    let totals = this.byStatus.get(status);
    if (!totals) this.byStatus.set(status, (totals = { requests: 0, errors: 0 }));
    totals.requests++;
    if (failed) totals.errors++;
  }
}

/**
 * Running totals of one (provider, model) pair: plain numbers on the hot path, read by the
 * counters only when Prometheus scrapes.
 */
export class ModelSeries {
  readonly provider: string;
  readonly model: string;
  /** Indexed like TOKEN_TYPES. */
  readonly tokens = new Float64Array(TOKEN_TYPES.length);
  costUsd = 0;
  readonly attemptsByStatus = new Map<number, number>();
  readonly dialects = new Map<string, DialectSeries>();

  constructor(provider: string, model: string) {
    this.provider = provider;
    this.model = model;
  }

  addAttempt(record: UsageRecord): void {
    const tokens = this.tokens;
    tokens[0] += record.inputTokens;
    tokens[1] += record.outputTokens;
    tokens[2] += record.cachedInputTokens;
    tokens[3] += record.cacheWriteTokens;
    tokens[4] += record.reasoningTokens;
    this.costUsd += record.costUsd;
    this.attemptsByStatus.set(record.status, (this.attemptsByStatus.get(record.status) ?? 0) + 1);
  }

  dialect(clientDialect: string): DialectSeries {
    let series = this.dialects.get(clientDialect);
    if (!series) {
      series = new DialectSeries({ provider: this.provider, model: this.model, client_dialect: clientDialect });
      this.dialects.set(clientDialect, series);
    }
    return series;
  }
}

/**
 * Series by provider, then model label. Nested maps instead of a joined key: a lookup builds no
 * string. Both keys come from config (the model through `metricsModelLabel`), so the tree stays small.
 */
export class SeriesTree {
  private readonly providers = new Map<string, Map<string, ModelSeries>>();

  get(provider: string, model: string): ModelSeries {
    let models = this.providers.get(provider);
    if (!models) this.providers.set(provider, (models = new Map()));
    let series = models.get(model);
    if (!series) models.set(model, (series = new ModelSeries(provider, model)));
    return series;
  }

  *all(): IterableIterator<ModelSeries> {
    for (const models of this.providers.values()) yield* models.values();
  }
}
