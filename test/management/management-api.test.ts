import { readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/start-gateway.ts';

const SECRET = 'mgmt-integration-secret-7f3a';
const WRONG_KEYS = ['wrong-guess-one', 'wrong-guess-two'];
const CLIENT_KEY = 'sk-client-integration';

interface Answer {
  status: number;
  json: any;
  text: string;
}

async function call(base: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

const withKey = (key: string) => ({ authorization: `Bearer ${key}` });

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached in time');
}

function config(mockUrl: string, extra = ''): string {
  return `# Switchyard test config
port: 0
host: 127.0.0.1
api-keys: [${CLIENT_KEY}]

# management: local only
remote-management:
  secret-key: ${SECRET}

openai-compatibility:
  - name: mockai
    base-url: ${mockUrl}/v1
    api-key-entries: [{api-key: test-a}]
    models: [{name: gpt-4o-mini, alias: fast}]

combos:
  # the hand-written one
  - name: seed
    targets: [fast]
${extra}`;
}

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(async () => {
  await mock.close();
});

describe('management API is closed without a secret', () => {
  it('answers 404 on every management route, as if unregistered', async () => {
    const gateway = await startGatewayProcess(`port: 0\nhost: 127.0.0.1\napi-keys: [${CLIENT_KEY}]\n`);
    try {
      const unknown = await call(gateway.url, 'GET', '/api/not-a-route', { headers: withKey(CLIENT_KEY) });
      for (const [method, path] of [
        ['GET', '/api/combos'],
        ['POST', '/api/combos'],
        ['PATCH', '/api/combos/x'],
        ['GET', '/api/resilience'],
        ['POST', '/api/resilience/reset'],
        ['GET', '/api/monitoring/health'],
        ['GET', '/api/rate-limits'],
        ['GET', '/api/fallback/chains'],
      ] as const) {
        for (const headers of [{}, withKey(CLIENT_KEY), withKey(SECRET)]) {
          const answer = await call(gateway.url, method, path, { headers });
          expect(answer.status, `${method} ${path}`).toBe(404);
          expect(answer.json.error.code).toBe(unknown.json.error.code);
        }
      }
    } finally {
      await gateway.stop();
    }
  });

  it('MANAGEMENT_PASSWORD opens it without a configured secret', async () => {
    const gateway = await startGatewayProcess(`port: 0\nhost: 127.0.0.1\n`, { env: { MANAGEMENT_PASSWORD: 'env-password-91' } });
    try {
      expect((await call(gateway.url, 'GET', '/api/combos', { headers: withKey('env-password-91') })).status).toBe(200);
      expect((await call(gateway.url, 'GET', '/api/combos', { headers: withKey('nope') })).json).toEqual({ error: 'invalid management key' });
      expect(gateway.output()).not.toContain('env-password-91');
    } finally {
      await gateway.stop();
    }
  });
});

describe('management API with a secret', () => {
  let gateway: GatewayProcess;
  const manage = (method: string, path: string, body?: unknown) => call(gateway.url, method, path, { body, headers: withKey(SECRET) });

  beforeAll(async () => {
    gateway = await startGatewayProcess(config(mock.url));
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('401 without a key or with a wrong one, 200 with the secret in either header', async () => {
    expect(await call(gateway.url, 'GET', '/api/combos')).toMatchObject({ status: 401, json: { error: 'missing management key' } });
    expect(await call(gateway.url, 'GET', '/api/combos', { headers: withKey(WRONG_KEYS[0]!) })).toMatchObject({
      status: 401,
      json: { error: 'invalid management key' },
    });
    // A client key is not a management key.
    expect((await call(gateway.url, 'GET', '/api/combos', { headers: withKey(CLIENT_KEY) })).status).toBe(401);
    expect((await call(gateway.url, 'GET', '/api/combos', { headers: { 'x-management-key': SECRET } })).status).toBe(200);
    expect((await call(gateway.url, 'GET', '/api/combos', { headers: { authorization: SECRET } })).status).toBe(200);
    // And the management key is not a client key.
    const chat = await call(gateway.url, 'POST', '/v1/chat/completions', {
      headers: withKey(SECRET),
      body: { model: 'fast', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(chat.status).toBe(401);
  });

  it('combos CRUD lands in config.yaml with its comments, and in GET /api/combos', async () => {
    const created = await manage('POST', '/api/combos', { name: 'pair', strategy: 'round-robin', targets: ['fast', { model: 'gpt-4o-mini', weight: 2 }] });
    expect(created).toMatchObject({ status: 201, json: { id: 'pair', name: 'pair', strategy: 'round-robin' } });
    let text = await readFile(gateway.configPath, 'utf8');
    expect(text).toContain('# Switchyard test config');
    expect(text).toContain('# management: local only');
    expect(text).toContain('# the hand-written one');
    expect(text).toMatch(/- name: pair\n {4}strategy: round-robin\n {4}targets:\n {6}- fast\n {6}- model: gpt-4o-mini\n {8}weight: 2\n/);
    expect((await manage('GET', '/api/combos')).json.combos.map((combo: { name: string }) => combo.name)).toEqual(['seed', 'pair']);

    expect((await manage('POST', '/api/combos', { name: 'pair', targets: ['fast'] })).status).toBe(409);
    expect((await manage('POST', '/api/combos', { name: 'bad', targets: 'fast' })).status).toBe(400);

    const updated = await manage('PATCH', '/api/combos/pair', { strategy: 'priority', description: 'two ways to the mock' });
    expect(updated).toMatchObject({ status: 200, json: { name: 'pair', strategy: 'priority', description: 'two ways to the mock' } });
    text = await readFile(gateway.configPath, 'utf8');
    expect(text).toContain('strategy: priority');
    expect(text).toContain('description: two ways to the mock');

    expect((await manage('DELETE', '/api/combos/pair')).json).toEqual({ success: true });
    expect((await manage('DELETE', '/api/combos/pair')).status).toBe(404);
    text = await readFile(gateway.configPath, 'utf8');
    expect(text).not.toContain('name: pair');
    expect(text).toContain('# the hand-written one');
    expect((await manage('GET', '/api/combos')).json.combos.map((combo: { name: string }) => combo.name)).toEqual(['seed']);
  });

  it('a hand edit of config.yaml shows in GET /api/combos after the hot reload', async () => {
    const text = await readFile(gateway.configPath, 'utf8');
    await writeFile(gateway.configPath, text.replace('    targets: [fast]\n', '    targets: [fast]\n  - name: by-hand\n    targets: [gpt-4o-mini]\n'));
    await eventually(async () => (await manage('GET', '/api/combos')).json.combos.some((combo: { name: string }) => combo.name === 'by-hand'));
  });

  it('POST /api/combos/test probes every target through the gateway', async () => {
    await manage('POST', '/api/combos', { name: 'probe', targets: ['fast', 'no-such-model'] });
    const tested = await manage('POST', '/api/combos/test', { comboName: 'probe' });
    expect(tested.status).toBe(200);
    expect(tested.json).toMatchObject({ comboName: 'probe', strategy: 'priority', resolvedBy: 'fast' });
    expect(tested.json.results).toEqual([
      expect.objectContaining({ model: 'fast', provider: 'mockai', status: 'ok', statusCode: 200, responseText: expect.stringContaining('echo:') }),
      expect.objectContaining({ model: 'no-such-model', status: 'error', statusCode: 502, error: expect.stringContaining('no-such-model') }),
    ]);
    for (const result of tested.json.results) expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(tested.json.testedAt)).not.toBeNaN();
    expect((await manage('POST', '/api/combos/test', { comboName: 'ghost' })).status).toBe(404);
    expect((await manage('POST', '/api/combos/test', {})).status).toBe(400);
  });

  it('resilience: GET, PATCH (written to config.yaml), reset', async () => {
    const initial = await manage('GET', '/api/resilience');
    expect(initial.json).toEqual({
      'circuit-breaker': { 'failure-threshold': 5, 'open-seconds': 30, 'max-open-seconds': 300 },
      'disable-cooling': false,
      breakers: [],
      cooldowns: [],
    });
    const patched = await manage('PATCH', '/api/resilience', { 'circuit-breaker': { 'failure-threshold': 3, 'max-open-seconds': 120 }, 'disable-cooling': true });
    expect(patched.json).toMatchObject({ ok: true, 'circuit-breaker': { 'failure-threshold': 3, 'open-seconds': 30, 'max-open-seconds': 120 }, 'disable-cooling': true });
    const text = await readFile(gateway.configPath, 'utf8');
    expect(text).toMatch(/circuit-breaker:\n {2}failure-threshold: 3\n {2}max-open-seconds: 120\n/);
    expect(text).toContain('disable-cooling: true');
    expect(text).toContain('# the hand-written one');
    expect((await manage('GET', '/api/resilience')).json['disable-cooling']).toBe(true);
    expect((await manage('PATCH', '/api/resilience', { 'circuit-breaker': { 'open-seconds': -1 } })).status).toBe(400);
    expect((await manage('POST', '/api/resilience/reset', {})).json).toEqual({
      ok: true,
      breakersReset: 0,
      cooldownsCleared: 0,
      message: 'Reset 0 circuit breaker(s) and cleared 0 cooldown(s)',
    });
  });

  it('fallback chains round-trip through config.yaml', async () => {
    expect((await manage('POST', '/api/fallback/chains', { model: 'fast', chain: ['gpt-4o-mini'] })).status).toBe(200);
    expect((await manage('GET', '/api/fallback/chains')).json).toEqual({ chains: { fast: ['gpt-4o-mini'] } });
    expect(await readFile(gateway.configPath, 'utf8')).toMatch(/fallback-chains:\n {2}fast:\n {4}- gpt-4o-mini\n/);
    expect((await manage('DELETE', '/api/fallback/chains', { model: 'fast' })).json).toEqual({ success: true });
  });

  it('monitoring health and rate limits', async () => {
    const health = await manage('GET', '/api/monitoring/health');
    expect(health.json).toMatchObject({ status: 'ok', version: expect.any(String), credentials: { total: 1, cooling: 0 }, breakers: [], cooldowns: [] });
    expect(health.json.memory).toEqual({ rss: expect.any(Number), heapUsed: expect.any(Number), heapTotal: expect.any(Number) });
    expect(health.json.uptimeSeconds).toBeGreaterThanOrEqual(0);
    const limits = await manage('GET', '/api/rate-limits');
    expect(limits.json).toEqual({
      clientRateLimits: { default: null, keys: [] },
      credentials: [expect.objectContaining({ credentialId: 'openai-compatibility[0].api-key-entries[0]', provider: 'mockai', state: 'ready', cooldowns: [] })],
    });
    expect(limits.text).not.toContain('test-a');
  });

  it('survives paths with malformed percent escapes', async () => {
    expect((await manage('PATCH', '/api/combos/%E0%A4%A', { strategy: 'random' })).status).toBe(404);
    expect((await call(gateway.url, 'POST', '/v1beta/models/%E0:generateContent', { headers: withKey(CLIENT_KEY), body: {} })).status).toBe(404);
    expect((await manage('GET', '/api/combos')).status).toBe(200);
    expect(gateway.process.exitCode).toBeNull();
  });

  it('never prints a management key, right or wrong', async () => {
    await call(gateway.url, 'GET', '/api/resilience', { headers: { 'x-management-key': WRONG_KEYS[1]! } });
    const output = gateway.output();
    expect(output).toContain('config updated through the management API');
    expect(output).not.toContain(SECRET);
    for (const key of WRONG_KEYS) expect(output).not.toContain(key);
  });
});

describe('management API brute-force protection', () => {
  it('bans an address for 30 minutes after 5 failures, whatever X-Forwarded-For says', async () => {
    const gateway = await startGatewayProcess(config(mock.url));
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const answer = await call(gateway.url, 'GET', '/api/combos', { headers: { ...withKey(`guess-${attempt}`), 'x-forwarded-for': `198.51.100.${attempt}` } });
        expect(answer.status).toBe(401);
      }
      const banned = await call(gateway.url, 'GET', '/api/combos', { headers: withKey(SECRET) });
      expect(banned.status).toBe(403);
      expect(banned.json.error).toMatch(/^IP banned due to too many failed attempts\. Try again in (30m0s|29m5\ds)$/);
      expect(gateway.output()).not.toContain(SECRET);
      // Client traffic is not affected by a management ban.
      expect((await call(gateway.url, 'GET', '/v1/models', { headers: withKey(CLIENT_KEY) })).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;

  it.skipIf(!external)('refuses clients off this machine unless allow-remote is on', async () => {
    const local = config(mock.url).replace('host: 127.0.0.1', 'host: 0.0.0.0');
    for (const allowRemote of [false, true]) {
      const gateway = await startGatewayProcess(local.replace(`  secret-key: ${SECRET}`, `  secret-key: ${SECRET}\n  allow-remote: ${allowRemote}`));
      try {
        const port = new URL(gateway.url).port;
        const answer = await call(`http://${external}:${port}`, 'GET', '/api/combos', { headers: { ...withKey(SECRET), 'x-forwarded-for': '127.0.0.1' } });
        if (allowRemote) expect(answer.status).toBe(200);
        else expect(answer).toMatchObject({ status: 403, json: { error: 'remote management disabled' } });
      } finally {
        await gateway.stop();
      }
    }
  });
});
