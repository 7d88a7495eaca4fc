import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load-config.ts';
import { GatewayRuntime } from '../../gateway/runtime.ts';
import { createLogger } from '../../observability/logger.ts';
import { createGatewayServer } from '../../server/http-server.ts';
import { registerManagementRoutes } from '../../server/route-table.ts';
import { BudgetTracker } from '../budgets.ts';
import { PricingTable } from '../pricing/pricing-table.ts';
import { InMemoryUsageStore } from '../test-support/in-memory-usage-store.ts';
import { CLAUDE_CREDENTIAL, KEY_A, USAGE_API_CONFIG } from '../test-support/usage-api-config.ts';
import { usageRecordFixture } from '../test-support/usage-record-fixture.ts';
import { usageApiRoutes } from './usage-api-routes.ts';
import { UsageRecordBatch } from '../usage-record-batch.ts';

// Through the real server and route table, as the lead registers the routes: management auth in
// front, exact paths before `/api/usage/:connectionId`, path parameters decoded.
let dir: string;
let server: Server;
let runtime: GatewayRuntime;
let base: string;

beforeAll(async () => {
  registerManagementRoutes(usageApiRoutes);
  dir = await mkdtemp(join(tmpdir(), 'usage-api-routes-'));
  const file = join(dir, 'config.yaml');
  await writeFile(file, USAGE_API_CONFIG);
  const config = parseConfigText(USAGE_API_CONFIG, file, {});
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const store = new InMemoryUsageStore();
  await store.insert(UsageRecordBatch.of([usageRecordFixture({ credentialId: CLAUDE_CREDENTIAL, provider: 'claude', timestamp: Date.now() - 60_000 })]));
  const budgets = new BudgetTracker();
  budgets.configure(config.budgets, config.apiKeys);
  runtime = Object.assign(new GatewayRuntime(config, createLogger({ destination: sink })), { usageStore: store, pricing: new PricingTable(config.pricing), budgets });
  server = createGatewayServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await runtime.close();
  await rm(dir, { recursive: true, force: true });
});

async function get(path: string, key: string | null = 'mgmt-secret') {
  const response = await fetch(`${base}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: response.status, json: (await response.json()) as any };
}

describe('usage API routes in the gateway', () => {
  it('need the management key; a client key does not open them', async () => {
    expect(await get('/api/usage/analytics', null)).toMatchObject({ status: 401, json: { error: 'missing management key' } });
    expect((await get('/api/pricing', KEY_A)).status).toBe(401);
    expect((await get('/api/pricing')).status).toBe(200);
  });

  it('match exact paths before the connection parameter, and decode the parameter', async () => {
    expect((await get('/api/usage/analytics')).json.summary.totalRequests).toBe(1);
    expect((await get('/api/usage/budget')).json.default).toEqual({ dailyLimitUsd: 5, monthlyLimitUsd: null });
    expect((await get('/api/usage/history')).json.totals.requests).toBe(1);
    expect((await get(`/api/usage/${encodeURIComponent(CLAUDE_CREDENTIAL)}`)).json).toMatchObject({ connectionId: CLAUDE_CREDENTIAL, summary: { totalRequests: 1 } });
    const listed = await get('/api/usage/call-logs');
    expect((await get(`/api/usage/call-logs/${encodeURIComponent(listed.json[0].id)}`)).json.id).toBe(listed.json[0].id);
  });

  it('serves every listed route (this one last: some of them delete)', async () => {
    for (const route of usageApiRoutes) {
      const path = route.path.replace(':connectionId', encodeURIComponent(CLAUDE_CREDENTIAL)).replace(':id', 'missing');
      const response = await fetch(`${base}${path}`, { method: route.method, headers: { authorization: 'Bearer mgmt-secret' } });
      expect(await response.text(), `${route.method} ${route.path}`).not.toContain('no route for');
    }
  });
});
