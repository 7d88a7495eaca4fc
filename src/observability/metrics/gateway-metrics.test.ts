import { describe, expect, it } from 'vitest';
import { finishedEvent, usageRecord } from './__fixtures__/finished-event.ts';
import { histogramBuckets, labelSets, parsePrometheusText, sampleValue, type PrometheusText } from './__fixtures__/parse-prometheus-text.ts';
import { GatewayMetrics, LLM_LATENCY_BUCKETS } from './gateway-metrics.ts';
import type { RuntimeGaugeSources } from './runtime-gauges.ts';
import type { RequestFinishedEvent } from '../request-events.ts';

const CONFIGURED = new Set(['gpt-4o', 'claude-x']);
const NOW = 1_700_000_000_000;

function createMetrics(processMetrics = false): GatewayMetrics {
  return new GatewayMetrics({ isConfiguredModel: (model) => CONFIGURED.has(model), processMetrics, now: () => NOW });
}

/** An event whose request took `durationMs` by the time it is observed. */
function observe(metrics: GatewayMetrics, event: RequestFinishedEvent, durationMs: number): void {
  metrics.requestFinished({ ...event, receivedAt: NOW - durationMs });
}

async function scrape(metrics: GatewayMetrics): Promise<PrometheusText> {
  return parsePrometheusText(await metrics.scrape());
}

function feedScenario(metrics: GatewayMetrics): void {
  // Non-streamed success.
  observe(
    metrics,
    finishedEvent(200, [
      usageRecord({ inputTokens: 100, outputTokens: 20, cachedInputTokens: 30, reasoningTokens: 5, costUsd: 0.0012, ttftMs: 300 }),
    ]),
    800,
  );
  // Streamed success from an Anthropic client.
  observe(
    metrics,
    finishedEvent(200, [
      usageRecord({
        provider: 'anthropic',
        modelRequested: 'claude-x',
        clientDialect: 'anthropic-messages',
        stream: true,
        inputTokens: 1000,
        outputTokens: 500,
        cacheWriteTokens: 200,
        costUsd: 0.02,
        ttftMs: 1500,
      }),
    ]),
    7000,
  );
  // A 429 on the first credential, served by the second; the reasoning suffix is not part of the label.
  observe(
    metrics,
    finishedEvent(200, [
      usageRecord({ provider: 'anthropic', modelRequested: 'claude-x(high)', clientDialect: 'anthropic-messages', status: 429, failed: true, ttftMs: 20 }),
      usageRecord({
        attempt: 2,
        provider: 'openrouter',
        modelRequested: 'claude-x(high)',
        clientDialect: 'anthropic-messages',
        inputTokens: 50,
        outputTokens: 10,
        costUsd: 0.001,
        ttftMs: 400,
      }),
    ]),
    1200,
  );
  // Refused before any upstream was tried.
  observe(metrics, finishedEvent(401, []), 2);
  // A stream that broke after its first bytes: the client saw 200, the request still failed.
  observe(
    metrics,
    finishedEvent(200, [usageRecord({ status: 502, failed: true, stream: true, inputTokens: 10, outputTokens: 3, costUsd: 0.0001, ttftMs: 250 })]),
    3000,
  );
}

describe('GatewayMetrics', () => {
  it('counts requests and errors by provider, model, client dialect and status, with no other series', async () => {
    const metrics = createMetrics();
    feedScenario(metrics);
    const parsed = await scrape(metrics);

    expect(parsed.types.get('switchyard_requests_total')).toBe('counter');
    expect(labelSets(parsed, 'switchyard_requests_total')).toHaveLength(4);
    expect(sampleValue(parsed, 'switchyard_requests_total', { provider: 'openai', model: 'gpt-4o', client_dialect: 'openai-chat', status: '200' })).toBe(2);
    expect(sampleValue(parsed, 'switchyard_requests_total', { provider: 'anthropic', model: 'claude-x', client_dialect: 'anthropic-messages', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_requests_total', { provider: 'openrouter', model: 'claude-x', client_dialect: 'anthropic-messages', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_requests_total', { provider: 'none', model: 'other', client_dialect: 'none', status: '401' })).toBe(1);

    expect(labelSets(parsed, 'switchyard_request_errors_total')).toEqual([
      { provider: 'openai', model: 'gpt-4o', client_dialect: 'openai-chat', status: '200' },
      { provider: 'none', model: 'other', client_dialect: 'none', status: '401' },
    ]);
    expect(sampleValue(parsed, 'switchyard_request_errors_total', { provider: 'openai', model: 'gpt-4o', client_dialect: 'openai-chat', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_request_errors_total', { provider: 'none', model: 'other', client_dialect: 'none', status: '401' })).toBe(1);
  });

  it('counts every upstream attempt, including the ones that failed over', async () => {
    const metrics = createMetrics();
    feedScenario(metrics);
    const parsed = await scrape(metrics);
    expect(labelSets(parsed, 'switchyard_upstream_attempts_total')).toHaveLength(5);
    expect(sampleValue(parsed, 'switchyard_upstream_attempts_total', { provider: 'anthropic', model: 'claude-x', status: '429' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_upstream_attempts_total', { provider: 'anthropic', model: 'claude-x', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_upstream_attempts_total', { provider: 'openrouter', model: 'claude-x', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_upstream_attempts_total', { provider: 'openai', model: 'gpt-4o', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_upstream_attempts_total', { provider: 'openai', model: 'gpt-4o', status: '502' })).toBe(1);
  });

  it('adds up tokens by type and cost per provider and model, as the upstreams reported them', async () => {
    const metrics = createMetrics();
    feedScenario(metrics);
    const parsed = await scrape(metrics);
    const tokens = (provider: string, model: string, type: string) => sampleValue(parsed, 'switchyard_tokens_total', { provider, model, type });

    expect(tokens('openai', 'gpt-4o', 'input')).toBe(110);
    expect(tokens('openai', 'gpt-4o', 'output')).toBe(23);
    expect(tokens('openai', 'gpt-4o', 'cached')).toBe(30);
    expect(tokens('openai', 'gpt-4o', 'cache_write')).toBe(0);
    expect(tokens('openai', 'gpt-4o', 'reasoning')).toBe(5);
    expect(tokens('anthropic', 'claude-x', 'input')).toBe(1000);
    expect(tokens('anthropic', 'claude-x', 'output')).toBe(500);
    expect(tokens('anthropic', 'claude-x', 'cache_write')).toBe(200);
    expect(tokens('openrouter', 'claude-x', 'input')).toBe(50);
    expect(tokens('openrouter', 'claude-x', 'output')).toBe(10);
    // Only pairs that had attempts: the refused request has no token series.
    expect(labelSets(parsed, 'switchyard_tokens_total')).toHaveLength(15);

    expect(sampleValue(parsed, 'switchyard_cost_usd_total', { provider: 'openai', model: 'gpt-4o' })).toBeCloseTo(0.0013, 12);
    expect(sampleValue(parsed, 'switchyard_cost_usd_total', { provider: 'anthropic', model: 'claude-x' })).toBeCloseTo(0.02, 12);
    expect(sampleValue(parsed, 'switchyard_cost_usd_total', { provider: 'openrouter', model: 'claude-x' })).toBeCloseTo(0.001, 12);
    expect(labelSets(parsed, 'switchyard_cost_usd_total')).toHaveLength(3);
  });

  it('keeps duration, time-to-first-token and attempt histograms in seconds', async () => {
    const metrics = createMetrics();
    feedScenario(metrics);
    const parsed = await scrape(metrics);
    const openai = { provider: 'openai', model: 'gpt-4o', client_dialect: 'openai-chat' };

    expect(parsed.types.get('switchyard_request_duration_seconds')).toBe('histogram');
    const duration = histogramBuckets(parsed, 'switchyard_request_duration_seconds', openai);
    expect([...duration.keys()]).toEqual([...LLM_LATENCY_BUCKETS.map(String), '+Inf']);
    // 0.8 s and 3 s.
    expect(duration.get('0.5')).toBe(0);
    expect(duration.get('1')).toBe(1);
    expect(duration.get('2.5')).toBe(1);
    expect(duration.get('5')).toBe(2);
    expect(duration.get('+Inf')).toBe(2);
    expect(sampleValue(parsed, 'switchyard_request_duration_seconds_sum', openai)).toBeCloseTo(3.8, 9);
    expect(sampleValue(parsed, 'switchyard_request_duration_seconds_count', openai)).toBe(2);
    expect(sampleValue(parsed, 'switchyard_request_duration_seconds_count', { provider: 'none', model: 'other', client_dialect: 'none' })).toBe(1);

    // The broken stream's first byte does not count: only attempts that served the request do.
    expect(sampleValue(parsed, 'switchyard_time_to_first_token_seconds_count', openai)).toBe(1);
    expect(sampleValue(parsed, 'switchyard_time_to_first_token_seconds_sum', openai)).toBeCloseTo(0.3, 9);
    const anthropic = { provider: 'anthropic', model: 'claude-x', client_dialect: 'anthropic-messages' };
    expect(histogramBuckets(parsed, 'switchyard_time_to_first_token_seconds', anthropic).get('1')).toBe(0);
    expect(histogramBuckets(parsed, 'switchyard_time_to_first_token_seconds', anthropic).get('2.5')).toBe(1);
    expect(sampleValue(parsed, 'switchyard_time_to_first_token_seconds_sum', { ...anthropic, provider: 'openrouter' })).toBeCloseTo(0.4, 9);
    expect(sampleValue(parsed, 'switchyard_time_to_first_token_seconds_count', { provider: 'none', model: 'other', client_dialect: 'none' })).toBeUndefined();

    const claudeAttempts = histogramBuckets(parsed, 'switchyard_request_attempts', { model: 'claude-x' });
    expect(claudeAttempts.get('1')).toBe(1);
    expect(claudeAttempts.get('2')).toBe(2);
    expect(histogramBuckets(parsed, 'switchyard_request_attempts', { model: 'other' }).get('0')).toBe(1);
    expect(sampleValue(parsed, 'switchyard_request_attempts_sum', { model: 'gpt-4o' })).toBe(2);
  });

  it('labels models the config does not serve as other, however many names clients invent', async () => {
    const metrics = createMetrics();
    for (let index = 0; index < 500; index++) {
      observe(metrics, finishedEvent(502, [usageRecord({ modelRequested: `made-up-${index}(${index})`, status: 502, failed: true })]), 10);
    }
    observe(metrics, finishedEvent(200, [usageRecord({ modelRequested: 'gpt-4o(8192)' })]), 10);
    const parsed = await scrape(metrics);
    expect(labelSets(parsed, 'switchyard_requests_total')).toEqual([
      { provider: 'openai', model: 'other', client_dialect: 'openai-chat', status: '502' },
      { provider: 'openai', model: 'gpt-4o', client_dialect: 'openai-chat', status: '200' },
    ]);
    expect(sampleValue(parsed, 'switchyard_requests_total', { provider: 'openai', model: 'other', client_dialect: 'openai-chat', status: '502' })).toBe(500);
    expect(parsed.samples.some((sample) => Object.values(sample.labels).some((value) => value.startsWith('made-up')))).toBe(false);
  });

  it('escapes label values that need it', async () => {
    const metrics = createMetrics();
    const provider = 'odd "provider"\\ with\nnewline';
    observe(metrics, finishedEvent(200, [usageRecord({ provider, outputTokens: 7 })]), 10);
    const parsed = await scrape(metrics);
    expect(sampleValue(parsed, 'switchyard_tokens_total', { provider, model: 'gpt-4o', type: 'output' })).toBe(7);
  });

  it('reads the runtime gauges when scraped, not when registered', async () => {
    const metrics = createMetrics();
    let streams = 3;
    let breakers: ReturnType<RuntimeGaugeSources['breakerStates']> = [
      { provider: 'openai', state: 'closed' },
      { provider: 'anthropic', state: 'open' },
      { provider: 'gemini', state: 'half-open' },
      { provider: 'gemini', state: 'closed' },
    ];
    metrics.registerGauges({ activeStreams: () => streams, cooldowns: () => 2, breakerStates: () => breakers });

    let parsed = await scrape(metrics);
    expect(parsed.types.get('switchyard_active_streams')).toBe('gauge');
    expect(sampleValue(parsed, 'switchyard_active_streams')).toBe(3);
    expect(sampleValue(parsed, 'switchyard_cooldowns_active')).toBe(2);
    expect(labelSets(parsed, 'switchyard_circuit_breaker_state')).toHaveLength(3);
    expect(sampleValue(parsed, 'switchyard_circuit_breaker_state', { provider: 'openai' })).toBe(0);
    expect(sampleValue(parsed, 'switchyard_circuit_breaker_state', { provider: 'gemini' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_circuit_breaker_state', { provider: 'anthropic' })).toBe(2);

    streams = 0;
    breakers = [{ provider: 'openai', state: 'half-open' }];
    parsed = await scrape(metrics);
    expect(sampleValue(parsed, 'switchyard_active_streams')).toBe(0);
    expect(labelSets(parsed, 'switchyard_circuit_breaker_state')).toEqual([{ provider: 'openai' }]);
    expect(sampleValue(parsed, 'switchyard_circuit_breaker_state', { provider: 'openai' })).toBe(1);

    expect(() => metrics.registerGauges({ activeStreams: () => 0, cooldowns: () => 0, breakerStates: () => [] })).toThrow(/already registered/);
  });

  it('exposes process memory, heap and event-loop lag', async () => {
    const parsed = await scrape(createMetrics(true));
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(parsed.types.get(name), name).toBe('gauge');
      expect(sampleValue(parsed, name), name).toBeGreaterThanOrEqual(0);
    }
    expect(sampleValue(parsed, 'process_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
    expect((await scrape(createMetrics(false))).types.has('process_resident_memory_bytes')).toBe(false);
  });

  it('scrapes the same totals twice in a row', async () => {
    const metrics = createMetrics();
    feedScenario(metrics);
    const first = await metrics.scrape();
    expect(await metrics.scrape()).toBe(first);
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
