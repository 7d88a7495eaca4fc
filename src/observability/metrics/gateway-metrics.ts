import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelledHistogram } from './labelled-histogram.ts';
import type { RequestFinishedEvent, RequestObserver } from '../request-events.ts';
import { metricsModelLabel, OTHER_MODEL_LABEL } from './model-label.ts';
import { registerRuntimeGauges, type RuntimeGaugeSources } from './runtime-gauges.ts';
import { SeriesTree, TOKEN_TYPES, type DialectLabels } from './series-tree.ts';

/** Seconds: from a cached answer in tens of milliseconds to a long reasoning run. */
export const LLM_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
const ATTEMPT_BUCKETS = [0, 1, 2, 3, 4, 5, 10];

/** Labels of requests that never reached an upstream (refused, unknown model, over budget...). */
const NO_PROVIDER = 'none';
const NO_DIALECT = 'none';

export interface GatewayMetricsOptions {
  /** Whether the running config serves this client-facing model name; see `isConfiguredModel`. */
  isConfiguredModel: (model: string) => boolean;
  /** prom-client's process collectors (RSS, heap, event-loop lag, GC, handles); on unless false. */
  processMetrics?: boolean;
  /** Epoch ms. A request's duration ends when its event is observed. */
  now?: () => number;
}

/**
 * Prometheus metrics of finished requests. Counters accumulate in plain numbers (SeriesTree) and
 * are copied into prom-client only when scraped; histograms (LabelledHistogram) find their series
 * by the label objects built once per series. Observing an event therefore allocates nothing once its
 * series exist.
 */
export class GatewayMetrics implements RequestObserver {
  readonly registry = new Registry();
  private readonly series = new SeriesTree();
  private readonly isConfigured: (model: string) => boolean;
  private readonly now: () => number;
  private readonly duration: LabelledHistogram<DialectLabels>;
  private readonly timeToFirstToken: LabelledHistogram<DialectLabels>;
  private readonly attempts: LabelledHistogram<{ model: string }>;
  private readonly attemptLabels = new Map<string, { model: string }>();
  private gaugesRegistered = false;

  constructor(options: GatewayMetricsOptions) {
    this.isConfigured = options.isConfiguredModel;
    this.now = options.now ?? Date.now;
    const registers = [this.registry];
    const series = this.series;

    new Counter({
      name: 'switchyard_requests_total',
      help: 'Client requests by the provider that answered last, the requested model, client dialect and status.',
      labelNames: ['provider', 'model', 'client_dialect', 'status'],
      registers,
      collect() {
        this.reset();
        for (const model of series.all()) {
          for (const dialect of model.dialects.values()) {
            for (const [status, totals] of dialect.byStatus) this.inc({ ...dialect.labels, status: String(status) }, totals.requests);
          }
        }
      },
    });
    new Counter({
      name: 'switchyard_request_errors_total',
      help: 'Client requests that failed: an error status, or a stream that broke after it started.',
      labelNames: ['provider', 'model', 'client_dialect', 'status'],
      registers,
      collect() {
        this.reset();
        for (const model of series.all()) {
          for (const dialect of model.dialects.values()) {
            for (const [status, totals] of dialect.byStatus) {
              if (totals.errors > 0) this.inc({ ...dialect.labels, status: String(status) }, totals.errors);
            }
          }
        }
      },
    });
    new Counter({
      name: 'switchyard_upstream_attempts_total',
      help: 'Upstream attempts (one per credential tried) by provider, requested model and upstream status.',
      labelNames: ['provider', 'model', 'status'],
      registers,
      collect() {
        this.reset();
        for (const model of series.all()) {
          for (const [status, count] of model.attemptsByStatus) this.inc({ provider: model.provider, model: model.model, status: String(status) }, count);
        }
      },
    });
    new Counter({
      name: 'switchyard_tokens_total',
      help: 'Tokens as the upstreams reported them (input includes cached input where the upstream counts it so).',
      labelNames: ['provider', 'model', 'type'],
      registers,
      collect() {
        this.reset();
        for (const model of series.all()) {
          if (model.attemptsByStatus.size === 0) continue;
          for (let index = 0; index < TOKEN_TYPES.length; index++) {
            this.inc({ provider: model.provider, model: model.model, type: TOKEN_TYPES[index] }, model.tokens[index]);
          }
        }
      },
    });
    new Counter({
      name: 'switchyard_cost_usd_total',
      help: 'Cost in US dollars at the configured prices (subscription accounts at API prices).',
      labelNames: ['provider', 'model'],
      registers,
      collect() {
        this.reset();
        for (const model of series.all()) {
          if (model.attemptsByStatus.size > 0) this.inc({ provider: model.provider, model: model.model }, model.costUsd);
        }
      },
    });
    this.duration = new LabelledHistogram({
      name: 'switchyard_request_duration_seconds',
      help: 'Client request duration, from arrival to the end of the answer.',
      buckets: LLM_LATENCY_BUCKETS,
      registry: this.registry,
    });
    this.timeToFirstToken = new LabelledHistogram({
      name: 'switchyard_time_to_first_token_seconds',
      help: 'Time from sending the serving attempt upstream to the first byte of its answer.',
      buckets: LLM_LATENCY_BUCKETS,
      registry: this.registry,
    });
    this.attempts = new LabelledHistogram({
      name: 'switchyard_request_attempts',
      help: 'Upstream attempts per client request (0: refused before any upstream was tried).',
      buckets: ATTEMPT_BUCKETS,
      registry: this.registry,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  requestFinished(event: RequestFinishedEvent): void {
    const attempts = event.attempts;
    const count = attempts.length;
    let requested: string | undefined;
    let label = OTHER_MODEL_LABEL;
    let requestModel = OTHER_MODEL_LABEL;
    for (let index = 0; index < count; index++) {
      const record = attempts[index].record;
      // Attempts of one request nearly always share the requested model: label it once.
      if (record.modelRequested !== requested) {
        requested = record.modelRequested;
        label = metricsModelLabel(requested, this.isConfigured);
      }
      if (index === 0) requestModel = label;
      this.series.get(record.provider, label).addAttempt(record);
    }

    const first = count > 0 ? attempts[0].record : undefined;
    const last = count > 0 ? attempts[count - 1].record : undefined;
    const dialect = this.series.get(last ? last.provider : NO_PROVIDER, requestModel).dialect(first ? first.clientDialect : NO_DIALECT);
    dialect.countRequest(event.status, event.status >= 400 || (last !== undefined && last.failed));
    this.duration.observe(dialect.labels, Math.max(0, this.now() - event.receivedAt) / 1000);
    if (last && !last.failed && last.ttftMs !== undefined) this.timeToFirstToken.observe(dialect.labels, last.ttftMs / 1000);
    this.attempts.observe(this.attemptLabelsOf(requestModel), count);
  }

  /** Gauges read from the runtime at scrape time; once per instance. */
  registerGauges(sources: RuntimeGaugeSources): void {
    if (this.gaugesRegistered) throw new Error('runtime gauges are already registered');
    this.gaugesRegistered = true;
    registerRuntimeGauges(this.registry, sources);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  private attemptLabelsOf(model: string): { model: string } {
    let labels = this.attemptLabels.get(model);
    if (!labels) this.attemptLabels.set(model, (labels = { model }));
    return labels;
  }
}
