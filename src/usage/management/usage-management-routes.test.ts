import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load-config.ts';
import { openaiChatCodec } from '../../dialects/openai-chat/index.ts';
import { clientKeyIdOf } from '../../gateway/attempt-record.ts';
import { GatewayRuntime } from '../../gateway/runtime.ts';
import { createLogger } from '../../observability/logger.ts';
import type { RequestFinishedEvent } from '../../observability/request-events.ts';
import { randomUsageRecords, testUsageRecord } from '../../storage/sqlite/__fixtures__/usage-records.ts';
import { SqliteUsageStore } from '../../storage/sqlite/sqlite-usage-store.ts';
import type { HttpContext } from '../../server/http-context.ts';
import { UsageRecorder } from '../usage-recorder.ts';
import type { UsageRecord } from '../usage-record.ts';
import { usageManagementRoutes, type UsageRuntimeParts } from './usage-management-routes.ts';
import { UsageRecordBatch } from '../usage-record-batch.ts';

const UPSTREAM_KEY = 'sk-upstream-never-shown-0001';
const OTHER_UPSTREAM_KEY = 'sk-upstream-never-shown-0002';
const CONFIG = `port: 0
host: 127.0.0.1
claude-api-key:
  - api-key: ${UPSTREAM_KEY}
    base-url: http://127.0.0.1:9
    models: [{name: claude-x}]
openai-compatibility:
  - name: OpenRouter
    base-url: http://127.0.0.1:9/v1
    api-key-entries: [{api-key: ${OTHER_UPSTREAM_KEY}}]
    models: [{name: gpt-x}]
`;

const silent = () => createLogger({ destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });

/** One gateway's worth of usage: a config file, a runtime carrying a recorder and a store, and a server on the usage routes. */
class Instance {
  dir = '';
  runtime!: GatewayRuntime & UsageRuntimeParts;
  store!: SqliteUsageStore;
  server!: Server;
  base = '';

  async start(withUsage = true): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'usage-routes-'));
    const file = join(this.dir, 'config.yaml');
    await writeFile(file, CONFIG);
    const runtime = new GatewayRuntime(parseConfigText(CONFIG, file, {}), silent());
    this.store = SqliteUsageStore.open(join(this.dir, 'switchyard.db'));
    if (withUsage) {
      const usage = new UsageRecorder({ store: this.store, logger: runtime.logger, enabled: () => runtime.snapshot.config.usageStatisticsEnabled });
      Object.assign(runtime, { usage, usageStore: this.store });
    }
    this.runtime = runtime as GatewayRuntime & UsageRuntimeParts;
    this.server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://localhost');
      const route = usageManagementRoutes.find((candidate) => candidate.method === req.method && candidate.path === url.pathname);
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      const context: HttpContext = {
        req,
        res,
        pathname: url.pathname,
        query: url.searchParams,
        params: {},
        runtime,
        snapshot: runtime.snapshot,
        requestId: 'test-request',
        receivedAt: performance.now(),
        receivedAtEpoch: Date.now(),
        clientKey: '',
        errorCodec: openaiChatCodec,
      };
      Promise.resolve(route.handler(context)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
  }

  finish(records: UsageRecord[]): void {
    const event: RequestFinishedEvent = {
      requestId: records[0]!.requestId,
      receivedAt: records[0]!.timestamp,
      method: 'POST',
      url: records[0]!.endpoint,
      headers: {},
      requestBody: Buffer.alloc(0),
      status: 200,
      attempts: records.map((record) => ({ record, upstreamUrl: 'http://upstream', upstreamRequestBody: '{}' })),
    };
    this.runtime.usage?.requestFinished(event);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
    await this.runtime.usage?.close();
    await this.store.close();
    await this.runtime.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function enableStatistics(instance: Instance): Promise<void> {
  expect((await instance.call('PUT', '/v0/management/usage-statistics-enabled', { value: true })).json).toEqual({ status: 'ok' });
}

let instances: Instance[] = [];
const started = async (withUsage = true) => {
  const instance = await new Instance().start(withUsage);
  instances.push(instance);
  return instance;
};

beforeEach(() => {
  instances = [];
});
afterEach(async () => {
  for (const instance of instances) await instance.stop();
});

describe('usage statistics switch', () => {
  it('reads and writes usage-statistics-enabled in config.yaml, and recording follows it', async () => {
    const gateway = await started();
    // On unless the config says otherwise (CLIProxyAPI defaults to off).
    expect((await gateway.call('GET', '/v0/management/usage-statistics-enabled')).json).toEqual({ 'usage-statistics-enabled': true });
    gateway.finish([testUsageRecord({ id: 'on:1' })]);
    expect((await gateway.call('GET', '/v0/management/usage')).json.usage.total_requests).toBe(1);

    expect(await gateway.call('PATCH', '/v0/management/usage-statistics-enabled', { value: false })).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await readFile(join(gateway.dir, 'config.yaml'), 'utf8')).toMatch(/^usage-statistics-enabled: false$/m);
    expect((await gateway.call('GET', '/v0/management/usage-statistics-enabled')).json).toEqual({ 'usage-statistics-enabled': false });
    gateway.finish([testUsageRecord({ id: 'off:1' })]);
    expect((await gateway.call('GET', '/v0/management/usage')).json.usage.total_requests).toBe(1);

    await enableStatistics(gateway);
    expect(await readFile(join(gateway.dir, 'config.yaml'), 'utf8')).toMatch(/^usage-statistics-enabled: true$/m);
    expect((await gateway.call('GET', '/v0/management/usage-statistics-enabled')).json).toEqual({ 'usage-statistics-enabled': true });
    gateway.finish([testUsageRecord({ id: 'on:2' })]);
    expect((await gateway.call('GET', '/v0/management/usage')).json.usage.total_requests).toBe(2);
    for (const body of [{ value: 'yes' }, {}, 'not json']) {
      expect(await gateway.call('PUT', '/v0/management/usage-statistics-enabled', body)).toMatchObject({ status: 400, json: { error: 'invalid body' } });
    }
  });

  it('answers 503 when accounting is not running', async () => {
    const gateway = await started(false);
    expect(await gateway.call('GET', '/v0/management/usage')).toMatchObject({ status: 503, json: { error: 'usage statistics unavailable' } });
  });
});

describe('GET /v0/management/usage and /usage-queue', () => {
  it('answers {usage, failed_requests} and pops queued details oldest first, queued from the first read on', async () => {
    const gateway = await started();
    await enableStatistics(gateway);
    gateway.finish([testUsageRecord({ id: 'q0:1' })]);
    expect((await gateway.call('GET', '/v0/management/usage-queue')).json).toEqual([]);
    gateway.finish([testUsageRecord({ id: 'q1:1', failed: true, status: 429, inputTokens: 0, outputTokens: 0 }), testUsageRecord({ id: 'q1:2', credentialId: 'claude-api-key[1]' })]);
    gateway.finish([testUsageRecord({ id: 'q2:1' })]);

    const usage = await gateway.call('GET', '/v0/management/usage');
    expect(usage.status).toBe(200);
    expect(Object.keys(usage.json)).toEqual(['usage', 'failed_requests']);
    expect(usage.json.failed_requests).toBe(1);
    expect(usage.json.usage).toMatchObject({ total_requests: 4, success_count: 3, failure_count: 1, total_tokens: 360 });
    expect(usage.json.usage.apis['sk-a…aaaa'].models['claude-sonnet-4-5'].details).toHaveLength(4);

    expect((await gateway.call('GET', '/v0/management/usage-queue')).json.map((item: any) => [item.request_id, item.failed])).toEqual([['q1', true]]);
    expect((await gateway.call('GET', '/v0/management/usage-queue?count=10')).json.map((item: any) => item.request_id)).toEqual(['q1', 'q2']);
    expect((await gateway.call('GET', '/v0/management/usage-queue?count=10')).json).toEqual([]);
    for (const count of ['0', '-1', 'abc', '1.5']) {
      expect(await gateway.call('GET', `/v0/management/usage-queue?count=${count}`)).toMatchObject({ status: 400, json: { error: 'count must be a positive integer' } });
    }
  });
});

describe('GET /v0/management/api-key-usage', () => {
  it('reports every upstream key by provider and base URL, masked, with 20 ten-minute buckets', async () => {
    const gateway = await started();
    const [claude, openrouter] = gateway.runtime.snapshot.config.credentials;
    gateway.finish([
      testUsageRecord({ id: 'k1:1', credentialId: claude!.id, timestamp: Date.now(), failed: true, status: 500 }),
      testUsageRecord({ id: 'k1:2', credentialId: claude!.id, timestamp: Date.now() }),
    ]);
    const answer = await gateway.call('GET', '/v0/management/api-key-usage');
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain(UPSTREAM_KEY);
    expect(answer.text).not.toContain(OTHER_UPSTREAM_KEY);
    const claudeEntry = answer.json.claude[`http://127.0.0.1:9|sk-u…0001`];
    expect(claudeEntry).toMatchObject({ success: 1, failed: 1 });
    expect(claudeEntry.recent_requests).toHaveLength(20);
    expect(claudeEntry.recent_requests[19]).toMatchObject({ success: 1, failed: 1, time: expect.stringMatching(/^\d\d:\d0-\d\d:\d0$/) });
    expect(claudeEntry.recent_requests.slice(0, 19).every((bucket: any) => bucket.success === 0 && bucket.failed === 0)).toBe(true);
    expect(answer.json[openrouter!.provider.toLowerCase()][`http://127.0.0.1:9/v1|sk-u…0002`]).toMatchObject({ success: 0, failed: 0 });
  });
});

describe('usage export and import', () => {
  it('exports the whole history from storage, oldest first, not only what memory holds', async () => {
    const gateway = await started();
    const history = randomUsageRecords(2_500, Date.UTC(2025, 3, 1), 3 * 86_400_000);
    await gateway.store.insert(UsageRecordBatch.of(history));
    const exported = await gateway.call('GET', '/v0/management/usage/export');
    expect(exported.status).toBe(200);
    expect(Object.keys(exported.json)).toEqual(['version', 'exported_at', 'usage']);
    expect(exported.json.version).toBe(1);
    expect(new Date(exported.json.exported_at).toISOString()).toBe(exported.json.exported_at);
    const usage = exported.json.usage;
    const failures = history.filter((record) => record.failed).length;
    expect(usage).toMatchObject({ total_requests: 2_500, failure_count: failures, success_count: 2_500 - failures });
    expect(usage.total_tokens).toBe(history.reduce((sum, record) => sum + record.inputTokens + record.outputTokens, 0));
    const details = Object.values(usage.apis).flatMap((api: any) => Object.values(api.models).flatMap((model: any) => model.details));
    expect(details).toHaveLength(2_500);
    const perModel = usage.apis['sk-a…aaaa'].models['m-1'].details.map((detail: any) => Date.parse(detail.timestamp));
    expect(perModel).toEqual([...perModel].sort((a, b) => a - b));
    expect(Object.values(usage.requests_by_day).reduce((sum: number, value: any) => sum + value, 0)).toBe(2_500);
    expect(Object.keys(usage.requests_by_hour).every((hour) => /^\d\d$/.test(hour))).toBe(true);
    expect((await gateway.call('GET', '/v0/management/usage')).json.usage.total_requests).toBe(0);
  });

  it('round-trips an export into another gateway without loss, and a second import adds nothing', async () => {
    const source = await started();
    await enableStatistics(source);
    const history = randomUsageRecords(1_200, Date.UTC(2025, 3, 1), 2 * 86_400_000, 3);
    await source.store.insert(UsageRecordBatch.of(history));
    source.finish([testUsageRecord({ id: 'live:1', timestamp: Date.now(), errorCode: 'x', ttftMs: 9 })]);
    const exported = await source.call('GET', '/v0/management/usage/export');

    const target = await started();
    const first = await target.call('POST', '/v0/management/usage/import', exported.json);
    expect(first).toMatchObject({ status: 200, json: { added: 1_201, skipped: 0, total_requests: 1_201 } });
    expect(Object.keys(first.json)).toEqual(['added', 'skipped', 'total_requests', 'failed_requests']);
    expect(first.json.failed_requests).toBe(history.filter((record) => record.failed).length);
    const all = async (instance: Instance) => (await instance.store.list({ limit: 10_000 })).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(await all(target)).toEqual(await all(source));
    expect((await target.call('GET', '/v0/management/usage')).json.usage.total_requests).toBe(1_201);

    const second = await target.call('POST', '/v0/management/usage/import', exported.json);
    expect(second.json).toEqual({ added: 0, skipped: 1_201, total_requests: 1_201, failed_requests: first.json.failed_requests });
    expect((await target.store.totals({})).requests).toBe(1_201);
    expect((await source.call('POST', '/v0/management/usage/import', exported.json)).json).toMatchObject({ added: 0, skipped: 1_201 });
  });

  it("imports CLIProxyAPI's own export once, keeping raw client keys out of storage", async () => {
    const gateway = await started();
    const rawKey = 'sk-client-raw-key-123456';
    const detail = (minute: number, failed = false) => ({
      timestamp: `2025-05-01T10:${String(minute).padStart(2, '0')}:00.5+08:00`,
      latency_ms: 900,
      source: 'someone@example.com',
      auth_index: '1a2b3c4d5e6f7a8b',
      tokens: { input_tokens: 10, output_tokens: 5, reasoning_tokens: 1, cached_tokens: 2, total_tokens: 15 },
      failed,
    });
    const payload = {
      version: 1,
      exported_at: '2025-05-02T00:00:00Z',
      usage: {
        total_requests: 3,
        apis: {
          [rawKey]: { total_requests: 3, models: { 'gemini-2.5-pro': { total_requests: 3, details: [detail(1), detail(2, true), detail(2, true)] } } },
          '': { models: { ignored: { details: [detail(3)] } } },
        },
      },
    };
    expect((await gateway.call('POST', '/v0/management/usage/import', payload)).json).toEqual({ added: 2, skipped: 1, total_requests: 2, failed_requests: 1 });
    expect((await gateway.call('POST', '/v0/management/usage/import', payload)).json).toMatchObject({ added: 0, skipped: 3 });
    const stored = await gateway.store.list({});
    expect(stored).toHaveLength(2);
    expect(JSON.stringify(stored)).not.toContain(rawKey);
    expect(stored[0]).toMatchObject({
      clientKeyId: clientKeyIdOf(rawKey),
      clientKeyLabel: 'sk-c…3456',
      modelServed: 'gemini-2.5-pro',
      credentialId: 'someone@example.com',
      authIndex: '1a2b3c4d5e6f7a8b',
      timestamp: Date.parse('2025-05-01T02:02:00.5Z'),
      inputTokens: 10,
      cachedInputTokens: 2,
      failed: true,
    });
  });

  it('refuses a body that is not JSON, or of a version it does not know', async () => {
    const gateway = await started();
    expect(await gateway.call('POST', '/v0/management/usage/import', '{nope')).toMatchObject({ status: 400, json: { error: 'invalid json' } });
    expect(await gateway.call('POST', '/v0/management/usage/import', { version: 2, usage: {} })).toMatchObject({ status: 400, json: { error: 'unsupported version' } });
    expect(await gateway.call('POST', '/v0/management/usage/import', { version: 1, usage: {} })).toMatchObject({ status: 200, json: { added: 0, skipped: 0 } });
  });
});
