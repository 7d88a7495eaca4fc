import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import type { RequestFinishedEvent } from '../observability/request-events.ts';
import { testUsageRecord } from '../storage/sqlite/__fixtures__/usage-records.ts';
import { SqliteUsageStore } from '../storage/sqlite/sqlite-usage-store.ts';
import type { UsageStore } from '../storage/usage-store.ts';
import { UsageRecorder, type UsageRecorderOptions } from './usage-recorder.ts';
import type { UsageRecord } from './usage-record.ts';
import { UsageRecordBatch } from './usage-record-batch.ts';

function finished(records: UsageRecord[], method = 'POST'): RequestFinishedEvent {
  return {
    requestId: records[0]!.requestId,
    receivedAt: records[0]!.timestamp,
    method,
    url: records[0]!.endpoint,
    headers: {},
    requestBody: Buffer.alloc(0),
    status: 200,
    attempts: records.map((record) => ({ record, upstreamUrl: 'http://upstream', upstreamRequestBody: '{}' })),
  };
}

/** A store that records insert calls and answers them as the test says. */
class FakeStore {
  readonly batches: UsageRecord[][] = [];
  answer: () => Promise<number> = () => Promise.resolve(0);

  asStore(): UsageStore {
    return {
      insert: (records) => {
        this.batches.push([...records]);
        return this.answer();
      },
    } as UsageStore;
  }
}

let logs: string;
let store: FakeStore;

function recorder(options: Partial<UsageRecorderOptions> = {}): UsageRecorder {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs += String(chunk);
      done();
    },
  });
  return new UsageRecorder({ store: store.asStore(), logger: createLogger({ destination }), ...options });
}

const record = (id: string, overrides: Partial<UsageRecord> = {}) => testUsageRecord({ id, timestamp: Date.UTC(2025, 6, 1, 9, 30), ...overrides });

beforeEach(() => {
  logs = '';
  store = new FakeStore();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UsageRecorder', () => {
  it('buffers records and writes them in one batch after the flush interval, never from the request call', async () => {
    const usage = recorder({ flushIntervalMs: 200, batchSize: 500 });
    usage.requestFinished(finished([record('a:1'), record('a:2')]));
    usage.requestFinished(finished([record('b:1')]));
    expect(store.batches).toHaveLength(0);
    expect(usage.pendingRecords).toBe(3);
    await vi.advanceTimersByTimeAsync(199);
    expect(store.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.batches.map((batch) => batch.map((item) => item.id))).toEqual([['a:1', 'a:2', 'b:1']]);
    expect(usage.pendingRecords).toBe(0);
  });

  it('fills the written batch again: each write holds exactly the records since the one before', async () => {
    const usage = recorder({ flushIntervalMs: 100, batchSize: 500 });
    usage.requestFinished(finished([record('a:1', { provider: 'claude', errorCode: 'rate_limited', failed: true })]));
    await vi.advanceTimersByTimeAsync(100);
    usage.requestFinished(finished([record('b:1')]));
    usage.requestFinished(finished([record('c:1', { provider: 'gemini' })]));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.batches).toEqual([
      [record('a:1', { provider: 'claude', errorCode: 'rate_limited', failed: true })],
      [record('b:1'), record('c:1', { provider: 'gemini' })],
    ]);
  });

  it('starts a write as soon as a batch is full, in batches of the batch size', async () => {
    const usage = recorder({ flushIntervalMs: 10_000, batchSize: 2 });
    usage.requestFinished(finished([record('a:1'), record('a:2'), record('a:3')]));
    expect(store.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.batches.map((batch) => batch.length)).toEqual([2, 1]);
  });

  it('keeps serving requests while a write hangs: the request path never waits on the store', async () => {
    store.answer = () => new Promise(() => {});
    const usage = recorder({ flushIntervalMs: 5, batchSize: 1 });
    usage.requestFinished(finished([record('a:1')]));
    await vi.advanceTimersByTimeAsync(5);
    expect(store.batches).toHaveLength(1);
    for (let index = 0; index < 100; index++) usage.requestFinished(finished([record(`n${index}:1`)]));
    expect(usage.statistics.totalRequests).toBe(101);
    expect(usage.pendingRecords).toBe(100);
    expect(store.batches).toHaveLength(1);
  });

  it('writes everything pending on flush(), as shutdown needs', async () => {
    const usage = recorder({ flushIntervalMs: 60_000, batchSize: 2 });
    usage.requestFinished(finished([record('a:1')]));
    await usage.flush();
    expect(store.batches.map((batch) => batch.map((item) => item.id))).toEqual([['a:1']]);
    usage.requestFinished(finished([record('b:1')]));
    await usage.close();
    expect(store.batches.map((batch) => batch.map((item) => item.id))).toEqual([['a:1'], ['b:1']]);
    usage.requestFinished(finished([record('late:1')]));
    expect(usage.pendingRecords).toBe(0);
  });

  it('keeps a failed batch, warns, and writes it again later with what came since', async () => {
    let fail = true;
    store.answer = () => (fail ? Promise.reject(new Error('disk full')) : Promise.resolve(1));
    const usage = recorder({ flushIntervalMs: 100, batchSize: 500 });
    usage.requestFinished(finished([record('a:1')]));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.batches).toHaveLength(1);
    expect(usage.pendingRecords).toBe(1);
    expect(logs).toContain('usage store write failed');
    expect(logs).toContain('disk full');
    fail = false;
    usage.requestFinished(finished([record('b:1')]));
    await vi.advanceTimersByTimeAsync(499);
    expect(store.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.batches.map((batch) => batch.map((item) => item.id))).toEqual([['a:1'], ['a:1', 'b:1']]);
    expect(usage.pendingRecords).toBe(0);
  });

  it('bounds what it keeps for a failing store: the oldest records go first, counted in a warning', async () => {
    store.answer = () => Promise.reject(new Error('gone'));
    const usage = recorder({ flushIntervalMs: 100, batchSize: 500, maxPendingRecords: 5 });
    for (let index = 0; index < 8; index++) usage.requestFinished(finished([record(`r${index}:1`)]));
    expect(usage.pendingRecords).toBe(5);
    expect(usage.droppedRecords).toBe(3);
    expect(logs).toContain('usage records dropped unwritten');
    await vi.advanceTimersByTimeAsync(100);
    expect(store.batches[0]!.map((item) => item.id)).toEqual(['r3:1', 'r4:1', 'r5:1', 'r6:1', 'r7:1']);
    expect(usage.statistics.totalRequests).toBe(8);
  });

  it('records nothing while statistics are disabled, but still counts attempts per credential', async () => {
    let enabled = false;
    const usage = recorder({ enabled: () => enabled, flushIntervalMs: 10 });
    usage.requestFinished(finished([record('a:1', { failed: true })]));
    await vi.advanceTimersByTimeAsync(50);
    expect(store.batches).toHaveLength(0);
    expect(usage.statistics.snapshot().total_requests).toBe(0);
    expect(usage.queue.pop(10)).toEqual([]);
    expect(usage.credentials.describe('claude-api-key[0]', Date.now())).toMatchObject({ success: 0, failed: 1 });
    enabled = true;
    usage.requestFinished(finished([record('b:1')]));
    await vi.advanceTimersByTimeAsync(10);
    expect(store.batches.map((batch) => batch.map((item) => item.id))).toEqual([['b:1']]);
  });

  it("builds CLIProxyAPI's usage statistics, keeping only the most recent details per key and model", () => {
    const usage = recorder({ detailsPerModel: 2 });
    const at = (minute: number) => Date.UTC(2025, 6, 1, 23, minute);
    usage.requestFinished(finished([record('a:1', { timestamp: at(1), inputTokens: 10, outputTokens: 5, failed: true, status: 429 }), record('a:2', { timestamp: at(2), credentialId: 'claude-api-key[1]' })]));
    usage.requestFinished(finished([record('b:1', { timestamp: at(3), reasoningTokens: 7, cachedInputTokens: 40 })]));
    usage.requestFinished(finished([record('c:1', { timestamp: Date.UTC(2025, 6, 2, 0, 5), clientKeyLabel: '', clientKeyId: '', modelServed: 'gpt-5', latencyMs: 42 })]));
    expect(usage.statistics.snapshot()).toEqual({
      total_requests: 4,
      success_count: 3,
      failure_count: 1,
      total_tokens: 15 + 3 * 120,
      apis: {
        'sk-a…aaaa': {
          total_requests: 3,
          total_tokens: 15 + 240,
          models: {
            'claude-sonnet-4-5': {
              total_requests: 3,
              total_tokens: 255,
              details: [
                {
                  timestamp: '2025-07-01T23:02:00.000Z',
                  latency_ms: 500,
                  source: 'claude-api-key[1]',
                  auth_index: '0123456789abcdef',
                  tokens: { input_tokens: 100, output_tokens: 20, reasoning_tokens: 0, cached_tokens: 0, total_tokens: 120 },
                  failed: false,
                  request_id: 'a',
                },
                {
                  timestamp: '2025-07-01T23:03:00.000Z',
                  latency_ms: 500,
                  source: 'claude-api-key[0]',
                  auth_index: '0123456789abcdef',
                  tokens: { input_tokens: 100, output_tokens: 20, reasoning_tokens: 7, cached_tokens: 40, total_tokens: 120 },
                  failed: false,
                  request_id: 'b',
                },
              ],
            },
          },
        },
        anonymous: {
          total_requests: 1,
          total_tokens: 120,
          models: {
            'gpt-5': {
              total_requests: 1,
              total_tokens: 120,
              details: [expect.objectContaining({ timestamp: '2025-07-02T00:05:00.000Z', latency_ms: 42, request_id: 'c' })],
            },
          },
        },
      },
      requests_by_day: { '2025-07-01': 3, '2025-07-02': 1 },
      requests_by_hour: { '23': 3, '00': 1 },
      tokens_by_day: { '2025-07-01': 255, '2025-07-02': 120 },
      tokens_by_hour: { '23': 255, '00': 120 },
    });
  });

  it('queues details for the usage queue from its first read on, oldest first, bounded, with the masked client key', () => {
    const usage = recorder({ queueCapacity: 2 });
    usage.requestFinished(finished([record('before:1')]));
    expect(usage.queue.pop(10)).toEqual([]);
    usage.requestFinished(finished([record('a:1')]));
    usage.requestFinished(finished([record('b:1', { authType: 'oauth', failed: true })]));
    usage.requestFinished(finished([record('c:1')], 'GET'));
    expect(usage.queue.dropped).toBe(1);
    expect(usage.queue.pop(1)).toEqual([
      expect.objectContaining({
        request_id: 'b',
        provider: 'claude',
        model: 'claude-sonnet-4-5',
        endpoint: 'POST /v1/messages',
        auth_type: 'oauth',
        api_key: 'sk-a…aaaa',
        failed: true,
      }),
    ]);
    expect(usage.queue.pop(10)).toEqual([expect.objectContaining({ request_id: 'c', endpoint: 'GET /v1/messages', auth_type: 'apikey' })]);
    expect(usage.queue.pop(10)).toEqual([]);
  });
});

describe('UsageRecorder.loadHistory', () => {
  let dir: string;
  let sqlite: SqliteUsageStore;

  beforeEach(async () => {
    vi.useRealTimers();
    dir = await mkdtemp(join(tmpdir(), 'usage-recorder-'));
    sqlite = SqliteUsageStore.open(join(dir, 'switchyard.db'));
  });
  afterEach(async () => {
    await sqlite.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from the history in storage, so the usage statistics survive a restart', async () => {
    const hour = 3_600_000;
    const day = Math.floor((Date.now() - 3 * 24 * hour) / (24 * hour)) * 24 * hour + 10 * hour;
    const dayKey = (at: number) => new Date(at).toISOString().slice(0, 10);
    await sqlite.insert(UsageRecordBatch.of([
      testUsageRecord({ id: 'ancient:1', timestamp: day - 30 * 24 * hour, modelServed: 'gemini-2.5-pro', clientKeyId: '', clientKeyLabel: '' }),
      testUsageRecord({ id: 'h1:1', timestamp: day, inputTokens: 1, outputTokens: 2 }),
      testUsageRecord({ id: 'h2:1', timestamp: day + 60_000, failed: true, status: 500, inputTokens: 0, outputTokens: 0 }),
      testUsageRecord({ id: 'h3:1', timestamp: day + 24 * hour, clientKeyId: '', clientKeyLabel: '', modelServed: 'gemini-2.5-pro' }),
    ]));
    const usage = new UsageRecorder({ store: sqlite, logger: createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) }), detailsPerModel: 2 });
    await usage.loadHistory();
    usage.requestFinished(finished([testUsageRecord({ id: 'live:1', timestamp: day + 5 * 24 * hour + 5 * hour })]));
    await usage.close();

    const snapshot = usage.statistics.snapshot();
    expect(snapshot).toMatchObject({ total_requests: 5, success_count: 4, failure_count: 1, total_tokens: 3 + 3 * 120 });
    expect(snapshot.apis['sk-a…aaaa']!.models['claude-sonnet-4-5']).toMatchObject({ total_requests: 3, total_tokens: 123 });
    expect(snapshot.apis['sk-a…aaaa']!.models['claude-sonnet-4-5']!.details.map((detail) => detail.request_id)).toEqual(['h2', 'live']);
    // Totals cover all history; details only its last week.
    expect(snapshot.apis.anonymous!.models['gemini-2.5-pro']).toMatchObject({ total_requests: 2 });
    expect(snapshot.apis.anonymous!.models['gemini-2.5-pro']!.details.map((detail) => detail.request_id)).toEqual(['h3']);
    expect(snapshot.requests_by_day).toMatchObject({ [dayKey(day - 30 * 24 * hour)]: 1, [dayKey(day)]: 2, [dayKey(day + 24 * hour)]: 1 });
    expect(snapshot.requests_by_hour['10']).toBe(4);
    expect((await sqlite.totals({})).requests).toBe(5);
  });
});
