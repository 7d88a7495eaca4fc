import {
  apiNameOf,
  dayAndHourOf,
  totalTokensOf,
  usageDetailOf,
  type CliproxyUsageSnapshot,
} from './cliproxy-usage-snapshot.ts';
import { RecentUsageDetails } from './recent-usage-details.ts';
import type { UsageRecord } from './usage-record.ts';

interface ModelStats {
  requests: number;
  tokens: number;
  /** Only the most recent `detailsPerModel`; the detail shape is built when a snapshot is read, not for every request. */
  details: RecentUsageDetails;
}

interface ApiStats {
  requests: number;
  tokens: number;
  models: Map<string, ModelStats>;
}

/** Totals of one client key and served model, as history in storage has them. */
export interface UsageHistoryModel {
  apiName: string;
  model: string;
  requests: number;
  failures: number;
  tokens: number;
  /** The most recent records, any order. */
  records: readonly UsageRecord[];
}

export interface UsageHistory {
  models: readonly UsageHistoryModel[];
  /** `YYYY-MM-DD` → totals. */
  days: ReadonlyMap<string, { requests: number; tokens: number }>;
  /** `HH` → totals over all days. */
  hours: ReadonlyMap<string, { requests: number; tokens: number }>;
}

/**
 * CLIProxyAPI's in-memory usage statistics (what `GET /v0/management/usage` shows), with one
 * difference: CLIProxyAPI keeps every request detail for ever, this keeps the most recent
 * `detailsPerModel` per client key and model; the rest of the history is in storage.
 */
export class UsageStatistics {
  private readonly detailsPerModel: number;
  private requests = 0;
  private failures = 0;
  private tokens = 0;
  private readonly apis = new Map<string, ApiStats>();
  private readonly requestsByDay = new Map<string, number>();
  private readonly tokensByDay = new Map<string, number>();
  private readonly requestsByHour = new Map<string, number>();
  private readonly tokensByHour = new Map<string, number>();

  constructor(detailsPerModel = 1_000) {
    this.detailsPerModel = detailsPerModel;
  }

  add(record: UsageRecord): void {
    const tokens = totalTokensOf(record);
    const model = this.count(apiNameOf(record), record.modelServed || 'unknown', 1, record.failed ? 1 : 0, tokens);
    model.details.add(record);
    const { day, hour } = dayAndHourOf(record.timestamp);
    addTo(this.requestsByDay, day, 1);
    addTo(this.tokensByDay, day, tokens);
    addTo(this.requestsByHour, hour, 1);
    addTo(this.tokensByHour, hour, tokens);
  }

  /** Adds history read from storage (records from before this process started). */
  addHistory(history: UsageHistory): void {
    for (const entry of history.models) {
      const model = this.count(entry.apiName, entry.model, entry.requests, entry.failures, entry.tokens);
      for (const record of entry.records) model.details.add(record);
    }
    for (const [day, totals] of history.days) {
      addTo(this.requestsByDay, day, totals.requests);
      addTo(this.tokensByDay, day, totals.tokens);
    }
    for (const [hour, totals] of history.hours) {
      addTo(this.requestsByHour, hour, totals.requests);
      addTo(this.tokensByHour, hour, totals.tokens);
    }
  }

  get totalRequests(): number {
    return this.requests;
  }

  get failureCount(): number {
    return this.failures;
  }

  snapshot(): CliproxyUsageSnapshot {
    const apis: CliproxyUsageSnapshot['apis'] = {};
    for (const [apiName, api] of this.apis) {
      const models: CliproxyUsageSnapshot['apis'][string]['models'] = {};
      for (const [modelName, model] of api.models) {
        models[modelName] = { total_requests: model.requests, total_tokens: model.tokens, details: Array.from(model.details.details(), usageDetailOf) };
      }
      apis[apiName] = { total_requests: api.requests, total_tokens: api.tokens, models };
    }
    return {
      total_requests: this.requests,
      success_count: this.requests - this.failures,
      failure_count: this.failures,
      total_tokens: this.tokens,
      apis,
      requests_by_day: Object.fromEntries(this.requestsByDay),
      requests_by_hour: Object.fromEntries(this.requestsByHour),
      tokens_by_day: Object.fromEntries(this.tokensByDay),
      tokens_by_hour: Object.fromEntries(this.tokensByHour),
    };
  }

  private count(apiName: string, modelName: string, requests: number, failures: number, tokens: number): ModelStats {
    this.requests += requests;
    this.failures += failures;
    this.tokens += tokens;
    let api = this.apis.get(apiName);
    if (!api) {
      api = { requests: 0, tokens: 0, models: new Map() };
      this.apis.set(apiName, api);
    }
    api.requests += requests;
    api.tokens += tokens;
    let model = api.models.get(modelName);
    if (!model) {
      model = { requests: 0, tokens: 0, details: new RecentUsageDetails(this.detailsPerModel) };
      api.models.set(modelName, model);
    }
    model.requests += requests;
    model.tokens += tokens;
    return model;
  }
}

function addTo(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}
