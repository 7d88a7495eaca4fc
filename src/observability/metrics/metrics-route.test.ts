import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load-config.ts';
import { openaiChatCodec } from '../../dialects/openai-chat/index.ts';
import { GatewayRuntime } from '../../gateway/runtime.ts';
import { sendGatewayError } from '../../gateway/send-error.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import { createGatewayServer } from '../../server/http-server.ts';
import { ManagementAuthenticator } from '../../server/management/management-auth.ts';
import { createLogger } from '../logger.ts';
import { finishedEvent, usageRecord } from './__fixtures__/finished-event.ts';
import { parsePrometheusText, sampleValue } from './__fixtures__/parse-prometheus-text.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import { metricsRoutes } from './metrics-route.ts';
import { isConfiguredModel } from './model-label.ts';

const SECRET = 'metrics-mgmt-secret';
const CLIENT_KEY = 'sk-client-metrics-0001';

function configText(withSecret: boolean, isPublic: boolean): string {
  return `port: 0
host: 127.0.0.1
api-keys: [${CLIENT_KEY}]
metrics: {public: ${isPublic}}
${withSecret ? `remote-management:\n  secret-key: ${SECRET}\n` : ''}claude-api-key:
  - api-key: sk-upstream-metrics-0001
    base-url: http://127.0.0.1:9
    models: [{name: claude-x, alias: claude-fast}]
`;
}

interface Harness {
  base: string;
  runtime: GatewayRuntime;
  metrics: GatewayMetrics;
  setPublic(value: boolean): void;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function quietLogger() {
  return createLogger({ destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Serves the metrics route the way the gateway's server does: a public route whose GatewayErrors are rendered for OpenAI clients. */
async function startHarness(options: { withSecret: boolean; public?: boolean }): Promise<Harness> {
  const load = (isPublic: boolean) => parseConfigText(configText(options.withSecret, isPublic), '/nonexistent/config.yaml', {});
  const runtime = new GatewayRuntime(load(options.public ?? false), quietLogger());
  cleanups.push(() => runtime.close());
  const metrics = new GatewayMetrics({ isConfiguredModel: (model) => isConfiguredModel(runtime.snapshot, model), processMetrics: false });
  const [route] = metricsRoutes(metrics, new ManagementAuthenticator({ env: {} }));
  const server = createServer((req, res) => {
    const requestId = 'req-metrics';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const context = {
      req,
      res,
      pathname: url.pathname,
      query: url.searchParams,
      params: {},
      runtime,
      snapshot: runtime.snapshot,
      requestId,
      receivedAt: 0,
      receivedAtEpoch: Date.now(),
      clientKey: '',
      errorCodec: openaiChatCodec,
    };
    Promise.resolve(route.handler(context)).catch((error: unknown) => {
      if (error instanceof GatewayError) sendGatewayError(res, openaiChatCodec, error, requestId);
      else res.destroy(error as Error);
    });
  });
  return { base: await listen(server), runtime, metrics, setPublic: (value) => runtime.apply(load(value)) };
}

function get(base: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/metrics`, { headers });
}

describe('GET /metrics', () => {
  it('is one public GET route that guards itself', () => {
    const routes = metricsRoutes(new GatewayMetrics({ isConfiguredModel: () => false, processMetrics: false }), new ManagementAuthenticator({ env: {} }));
    expect(routes.map(({ method, path, public: isPublic }) => ({ method, path, public: isPublic }))).toEqual([{ method: 'GET', path: '/metrics', public: true }]);
  });

  it('answers the management key with the text exposition, and labels models by the running config', async () => {
    const harness = await startHarness({ withSecret: true });
    harness.metrics.requestFinished(finishedEvent(200, [usageRecord({ provider: 'claude', modelRequested: 'claude-fast', outputTokens: 12 })]));
    harness.metrics.requestFinished(finishedEvent(200, [usageRecord({ provider: 'claude', modelRequested: 'gpt-4o', outputTokens: 1 })]));

    const keyHeaders: Record<string, string>[] = [{ authorization: `Bearer ${SECRET}` }, { 'x-management-key': SECRET }];
    for (const headers of keyHeaders) {
      const response = await get(harness.base, headers);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const parsed = parsePrometheusText(await response.text());
      expect(sampleValue(parsed, 'switchyard_tokens_total', { provider: 'claude', model: 'claude-fast', type: 'output' })).toBe(12);
      expect(sampleValue(parsed, 'switchyard_tokens_total', { provider: 'claude', model: 'other', type: 'output' })).toBe(1);
    }
  });

  it('refuses a missing or wrong key and a client key, and bans after five failures like the management API', async () => {
    const harness = await startHarness({ withSecret: true });
    const missing = await get(harness.base);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: 'missing management key' });
    const wrong = await get(harness.base, { authorization: `Bearer ${CLIENT_KEY}` });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid management key' });
    for (let attempt = 0; attempt < 3; attempt++) await get(harness.base, { authorization: 'Bearer nope' });

    const banned = await get(harness.base, { authorization: `Bearer ${SECRET}` });
    expect(banned.status).toBe(403);
    expect(((await banned.json()) as { error: string }).error).toMatch(/^IP banned due to too many failed attempts/);
  });

  it('does not exist while management is off, exactly like an unknown path', async () => {
    const harness = await startHarness({ withSecret: false });
    const response = await get(harness.base, { authorization: `Bearer ${SECRET}` });
    expect(response.status).toBe(404);
    const body = await response.json();

    const gatewayBase = await listen(createGatewayServer(harness.runtime));
    const unknown = await fetch(`${gatewayBase}/metrics-nowhere`);
    expect(unknown.status).toBe(404);
    expect(body).toEqual(JSON.parse(JSON.stringify(await unknown.json()).replaceAll('/metrics-nowhere', '/metrics')));
  });

  it('needs no key when configured public, read from the running config so a reload applies at once', async () => {
    const harness = await startHarness({ withSecret: false, public: true });
    const open = await get(harness.base);
    expect(open.status).toBe(200);
    expect(parsePrometheusText(await open.text()).types.get('switchyard_requests_total')).toBe('counter');

    harness.setPublic(false);
    expect((await get(harness.base)).status).toBe(404);
    harness.setPublic(true);
    expect((await get(harness.base)).status).toBe(200);
  });

  it('still needs no key when public and a management secret is set', async () => {
    const harness = await startHarness({ withSecret: true, public: true });
    expect((await get(harness.base)).status).toBe(200);
    harness.setPublic(false);
    expect((await get(harness.base)).status).toBe(401);
  });
});
