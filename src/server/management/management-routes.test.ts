import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load-config.ts';
import { GatewayRuntime } from '../../gateway/runtime.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import { createLogger } from '../../observability/logger.ts';
import { createGatewayServer } from '../http-server.ts';

const SECRET = 'mgmt-route-secret';
const UPSTREAM_KEY = 'sk-upstream-never-shown-0001';
const CLIENT_KEY = 'sk-client-limited-abcdef';

const CONFIG = `# test config
port: 0
host: 127.0.0.1
api-keys: [${CLIENT_KEY}]
remote-management:
  secret-key: ${SECRET}
client-rate-limits:
  default: {requests-per-minute: 60}
  keys:
    ${CLIENT_KEY}: {requests-per-minute: 5, tokens-per-minute: 1000}
claude-api-key:
  - api-key: ${UPSTREAM_KEY}
    base-url: http://127.0.0.1:9
    models: [{name: claude-x}]
combos:
  - name: duo
    targets: [claude-x]
`;

let dir: string;
let file: string;
let runtime: GatewayRuntime;
let server: Server;
let base: string;
let logs: string;

async function call(method: string, path: string, body?: unknown, key: string | null = SECRET): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'management-routes-'));
  file = join(dir, 'config.yaml');
  await writeFile(file, CONFIG);
  logs = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs += String(chunk);
      done();
    },
  });
  runtime = new GatewayRuntime(parseConfigText(CONFIG, file, {}), createLogger({ destination }));
  server = createGatewayServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await runtime.close();
  await rm(dir, { recursive: true, force: true });
});

function coolDown(credentialId: string, model: string, status: number, retryAfter?: number) {
  runtime.cooldowns.recordFailure(
    { credentialId, provider: 'claude', model },
    new GatewayError({ status, code: 'upstream_error', message: 'boom', retryAfter }),
  );
}

function openBreaker(provider: string) {
  for (let failure = 0; failure < 5; failure++) {
    runtime.breakers.recordFailure(provider, new GatewayError({ status: 503, code: 'upstream_error', message: 'down' }));
  }
}

describe('management routes in process', () => {
  it('authenticates with the management key, not with a client key', async () => {
    expect((await call('GET', '/api/combos', undefined, CLIENT_KEY)).json).toEqual({ error: 'invalid management key' });
    expect((await call('GET', '/api/combos', undefined, null)).json).toEqual({ error: 'missing management key' });
    const listed = await call('GET', '/api/combos');
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({ combos: [{ id: 'duo', name: 'duo', strategy: 'priority', targets: [{ model: 'claude-x' }] }] });
  });

  it('answers 404 like an unknown path when no secret is configured', async () => {
    runtime.apply(parseConfigText(CONFIG.replace(`secret-key: ${SECRET}`, 'secret-key: ""'), file, {}));
    const response = await call('GET', '/api/resilience');
    const unknown = await call('GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.json.error.code).toBe(unknown.json.error.code);
    expect(response.json.error.message).toBe('no route for GET /api/resilience');
  });

  it('GET /api/resilience shows settings, breaker states and cooldowns with reset times, never a key', async () => {
    coolDown('claude-api-key[0]', 'claude-x', 429, 90);
    openBreaker('claude');
    const { status, json, text } = await call('GET', '/api/resilience');
    expect(status).toBe(200);
    expect(json['circuit-breaker']).toEqual({ 'failure-threshold': 5, 'open-seconds': 30, 'max-open-seconds': 300 });
    expect(json['disable-cooling']).toBe(false);
    expect(json.breakers).toEqual([
      expect.objectContaining({ provider: 'claude', state: 'open', consecutiveFailures: 5, openSeconds: 30, resetSeconds: 30, resetTime: '30s' }),
    ]);
    expect(Date.parse(json.breakers[0].resetAt)).toBeGreaterThan(Date.now());
    expect(json.cooldowns).toEqual([
      expect.objectContaining({
        credentialId: 'claude-api-key[0]',
        provider: 'claude',
        model: 'claude-x',
        status: 429,
        reportedByUpstream: true,
        resetSeconds: 90,
        resetTime: '1m30s',
      }),
    ]);
    expect(new Date(json.cooldowns[0].resetAt).toISOString()).toBe(json.cooldowns[0].resetAt);
    expect(text).not.toContain(UPSTREAM_KEY);
  });

  it('POST /api/resilience/reset clears by filter and reports counts', async () => {
    coolDown('claude-api-key[0]', 'claude-x', 500);
    coolDown('claude-api-key[0]', 'claude-y', 500);
    openBreaker('claude');
    openBreaker('gemini');
    const byModel = await call('POST', '/api/resilience/reset', { model: 'claude-y' });
    expect(byModel.json).toMatchObject({ ok: true, breakersReset: 0, cooldownsCleared: 1 });
    const byProvider = await call('POST', '/api/resilience/reset', { provider: 'gemini' });
    expect(byProvider.json).toMatchObject({ ok: true, breakersReset: 1, cooldownsCleared: 0 });
    const everything = await call('POST', '/api/resilience/reset');
    expect(everything.json).toEqual({ ok: true, breakersReset: 1, cooldownsCleared: 1, message: 'Reset 1 circuit breaker(s) and cleared 1 cooldown(s)' });
    expect(runtime.cooldowns.list()).toEqual([]);
    expect(runtime.breakers.snapshot()).toEqual([]);
    expect((await call('POST', '/api/resilience/reset', { provider: 'claude', key: 'x' })).status).toBe(400);
  });

  it('PATCH /api/resilience writes config.yaml, applies at once, and validates', async () => {
    const patched = await call('PATCH', '/api/resilience', { 'circuit-breaker': { 'failure-threshold': 2, 'open-seconds': 10 }, 'disable-cooling': true });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ ok: true, 'circuit-breaker': { 'failure-threshold': 2, 'open-seconds': 10, 'max-open-seconds': 300 }, 'disable-cooling': true });
    expect(runtime.breakers.settings).toEqual({ failureThreshold: 2, openMs: 10_000, maxOpenMs: 300_000 });
    expect(runtime.cooldowns.disabled).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# test config');
    expect(text).toMatch(/circuit-breaker:\n {2}failure-threshold: 2\n {2}open-seconds: 10\n/);
    expect(text).toContain('disable-cooling: true');

    const before = await readFile(file, 'utf8');
    for (const body of [{}, { 'circuit-breaker': { 'failure-threshold': 0 } }, { 'circuit-breaker': { 'open-seconds': 600 } }, { 'disable-cooling': 'yes' }, { other: 1 }]) {
      const refused = await call('PATCH', '/api/resilience', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json.error).toMatch(/^invalid body: /);
    }
    expect((await call('PATCH', '/api/resilience', '{not json')).json.error).toMatch(/not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('GET /api/rate-limits masks client keys and shows per-credential cooldowns', async () => {
    coolDown('claude-api-key[0]', 'claude-x', 401);
    const { status, json, text } = await call('GET', '/api/rate-limits');
    expect(status).toBe(200);
    expect(json.clientRateLimits).toEqual({
      default: { requestsPerMinute: 60, tokensPerMinute: null },
      keys: [{ key: 'sk-c…cdef', requestsPerMinute: 5, tokensPerMinute: 1000 }],
    });
    expect(json.credentials).toEqual([
      expect.objectContaining({ credentialId: 'claude-api-key[0]', provider: 'claude', type: 'claude', state: 'cooling', cooldowns: [expect.objectContaining({ status: 401, resetTime: '30m0s' })] }),
    ]);
    expect(text).not.toContain(CLIENT_KEY);
    expect(text).not.toContain(UPSTREAM_KEY);
  });

  it('GET /api/monitoring/health reports process and routing health', async () => {
    const healthy = await call('GET', '/api/monitoring/health');
    expect(healthy.json).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), credentials: { total: 1, cooling: 0 }, breakers: [], cooldowns: [] });
    expect(healthy.json.memory.rss).toBeGreaterThan(0);
    expect(healthy.json.memory.heapUsed).toBeGreaterThan(0);
    expect(healthy.json.uptimeSeconds).toBeGreaterThanOrEqual(0);
    openBreaker('claude');
    coolDown('claude-api-key[0]', 'claude-x', 500);
    const degraded = await call('GET', '/api/monitoring/health');
    expect(degraded.json).toMatchObject({ status: 'degraded', credentials: { total: 1, cooling: 1 } });
    expect(degraded.json.breakers).toHaveLength(1);
    expect(degraded.text).not.toContain(UPSTREAM_KEY);
  });

  it('GET /api/combos/metrics shows every configured combo, with what the runtime recorded', async () => {
    const zero = await call('GET', '/api/combos/metrics');
    expect(zero.json).toEqual({
      combos: [{ name: 'duo', strategy: 'priority', requests: 0, successes: 0, failures: 0, inFlight: 0, successRate: null, lastUsedAt: null, targets: [] }],
    });
    const request = runtime.comboMetrics.startComboRequest('duo');
    request.attempt('claude-x').succeeded(120);
    request.finish(true);
    const one = await call('GET', '/api/combos/metrics?combo=duo');
    expect(one.json.combos).toEqual([
      expect.objectContaining({ name: 'duo', requests: 1, successes: 1, successRate: 100, targets: [expect.objectContaining({ model: 'claude-x', avgLatencyMs: 120 })] }),
    ]);
    expect(await call('GET', '/api/combos/metrics?combo=nope')).toMatchObject({ status: 404, json: { error: 'combo "nope" not found' } });
  });

  it('refuses a combo edit the runtime could not run, and leaves the file alone', async () => {
    const before = await readFile(file, 'utf8');
    const cycle = await call('PATCH', '/api/combos/duo', { targets: ['duo'] });
    expect(cycle.status).toBe(400);
    expect(cycle.json.error).toMatch(/combos: /);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(runtime.snapshot.config.combos[0]!.targets).toEqual([{ model: 'claude-x' }]);
  });

  it('combo CRUD validates bodies and ids', async () => {
    expect((await call('POST', '/api/combos', { name: 'x' })).json).toEqual({ error: 'invalid body: targets: a combo needs at least one target' });
    expect((await call('POST', '/api/combos', { name: 'x', targets: [] })).status).toBe(400);
    expect((await call('POST', '/api/combos', { name: 'x', targets: ['a'], strategy: 'fastest' })).json.error).toMatch(/^invalid body: strategy: /);
    expect((await call('POST', '/api/combos', { name: 'x', targets: ['a'], models: ['b'] })).status).toBe(400);
    expect((await call('POST', '/api/combos', { name: 'duo', targets: ['a'] })).status).toBe(409);
    expect((await call('PATCH', '/api/combos/nope', { strategy: 'random' })).status).toBe(404);
    expect((await call('PATCH', '/api/combos/duo', {})).status).toBe(400);
    expect((await call('DELETE', '/api/combos/nope')).json).toEqual({ error: 'combo "nope" not found' });
    // OmniRoute's `models` with weights.
    const created = await call('POST', '/api/combos', { name: 'team/mix', strategy: 'weighted', models: [{ model: 'a', weight: 3 }, 'b'] });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: 'team/mix', name: 'team/mix', strategy: 'weighted', targets: [{ model: 'a', weight: 3 }, { model: 'b' }] });
    expect((await call('PATCH', `/api/combos/${encodeURIComponent('team/mix')}`, { name: 'duo' })).status).toBe(409);
    const renamed = await call('PATCH', `/api/combos/${encodeURIComponent('team/mix')}`, { name: 'mix', description: 'weighted pair' });
    expect(renamed.json).toMatchObject({ id: 'mix', description: 'weighted pair' });
    expect((await call('PATCH', '/api/combos/mix', { description: null })).json).not.toHaveProperty('description');
    expect((await call('PATCH', '/api/combos/%E0%A4%A', { strategy: 'random' })).status).toBe(404);
  });

  it('fallback chains: save (OmniRoute steps in priority order), list, delete', async () => {
    const saved = await call('POST', '/api/fallback/chains', {
      model: 'claude-x',
      chain: [
        { provider: 'gpt-4o', priority: 2 },
        { model: 'gemini-pro', priority: 1 },
        { provider: 'off', priority: 0, enabled: false },
      ],
    });
    expect(saved.json).toEqual({ success: true, model: 'claude-x', chain: ['gemini-pro', 'gpt-4o'] });
    expect((await call('GET', '/api/fallback/chains')).json).toEqual({ chains: { 'claude-x': ['gemini-pro', 'gpt-4o'] } });
    expect((await call('POST', '/api/fallback/chains', { model: 'claude-x', chain: ['claude-x'] })).status).toBe(400);
    expect((await call('POST', '/api/fallback/chains', { model: 'claude-x', chain: [{ priority: 1 }] })).status).toBe(400);
    expect((await call('DELETE', '/api/fallback/chains', { model: 'nope' })).status).toBe(404);
    expect((await call('DELETE', '/api/fallback/chains?model=claude-x')).json).toEqual({ success: true });
    expect((await call('GET', '/api/fallback/chains')).json).toEqual({ chains: {} });
    expect(await readFile(file, 'utf8')).toContain('# test config');
  });

  it('never logs the management key', async () => {
    await call('GET', '/api/combos', undefined, 'wrong-guess-key');
    await call('POST', '/api/combos', { name: 'logged', targets: ['claude-x'] });
    expect(logs).toContain('config updated through the management API');
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain('wrong-guess-key');
  });
});
