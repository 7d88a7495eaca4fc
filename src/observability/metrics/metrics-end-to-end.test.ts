import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../../../test/mock-upstream/index.ts';
import { parseConfigText } from '../../config/load-config.ts';
import { openaiChatCodec } from '../../dialects/openai-chat/index.ts';
import { GatewayRuntime } from '../../gateway/runtime.ts';
import { createGatewayServer } from '../../server/http-server.ts';
import { ManagementAuthenticator } from '../../server/management/management-auth.ts';
import { registerRoute } from '../../server/route-table.ts';
import { createLogger } from '../logger.ts';
import { parsePrometheusText, sampleValue, type PrometheusText } from './__fixtures__/parse-prometheus-text.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import { metricsRoutes } from './metrics-route.ts';
import { isConfiguredModel } from './model-label.ts';

const SECRET = 'metrics-e2e-secret';
let mock: MockUpstream;
let runtime: GatewayRuntime;
let server: Server;
let base: string;

beforeAll(async () => {
  mock = await startMockUpstream();
  const config = parseConfigText(
    `port: 0
host: 127.0.0.1
api-keys: [sk-client-e2e]
remote-management:
  secret-key: ${SECRET}
openai-compatibility:
  - name: pool
    base-url: ${mock.url}/v1
    api-key-entries: [{api-key: test-a}, {api-key: test-b}]
    models: [{name: gpt-4o-mini, alias: pooled}]
claude-api-key:
  - api-key: test-c
    base-url: ${mock.url}
    models: [{name: claude-x}]
`,
    '/nonexistent/config.yaml',
    {},
  );
  runtime = new GatewayRuntime(config, createLogger({ destination: new Writable({ write: (_chunk, _encoding, done) => done() }) }));
  const metrics = new GatewayMetrics({ isConfiguredModel: (model) => isConfiguredModel(runtime.snapshot, model), processMetrics: false });
  runtime.observers.push(metrics);
  for (const route of metricsRoutes(metrics, new ManagementAuthenticator({ env: {} }))) {
    registerRoute(route.method, route.path, { handler: route.handler, codec: openaiChatCodec, public: route.public });
  }
  server = createGatewayServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await runtime.close();
  await mock.close();
});

async function post(path: string, body: unknown): Promise<Response> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-e2e', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response;
}

/** Scrapes until the observers have seen `requests` requests (an event follows the end of its answer). */
async function scrapeAfter(requests: number): Promise<PrometheusText> {
  for (let tries = 0; ; tries++) {
    const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(response.status).toBe(200);
    const parsed = parsePrometheusText(await response.text());
    const seen = parsed.samples.filter((sample) => sample.name === 'switchyard_requests_total').reduce((sum, sample) => sum + sample.value, 0);
    if (seen >= requests || tries > 50) return parsed;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('metrics of requests through the real pipeline', () => {
  it('count a failover, a stream and the tokens the mock upstream reported', async () => {
    expect((await post('/v1/chat/completions', { model: 'pooled', messages: [{ role: 'user', content: '[[mock:error 429 times=1]] hi' }] })).status).toBe(200);
    const chatUsage = mock.requests.at(-1)!.usage!;
    expect(mock.requests).toHaveLength(2);

    const streamed = await post('/v1/messages', {
      model: 'claude-x(2048)',
      max_tokens: 4096,
      stream: true,
      messages: [{ role: 'user', content: '[[mock:cache read=6 write=3]] tell me something' }],
    });
    expect(streamed.status).toBe(200);
    const claudeUsage = mock.requests.at(-1)!.usage!;
    expect(Math.min(chatUsage.input, chatUsage.output, claudeUsage.input, claudeUsage.output)).toBeGreaterThan(0);

    const parsed = await scrapeAfter(2);
    expect(sampleValue(parsed, 'switchyard_requests_total', { provider: 'pool', model: 'pooled', client_dialect: 'openai-chat', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_requests_total', { provider: 'claude', model: 'claude-x', client_dialect: 'anthropic-messages', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_upstream_attempts_total', { provider: 'pool', model: 'pooled', status: '429' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_upstream_attempts_total', { provider: 'pool', model: 'pooled', status: '200' })).toBe(1);
    expect(sampleValue(parsed, 'switchyard_request_attempts_sum', { model: 'pooled' })).toBe(2);

    const tokens = (provider: string, model: string, type: string) => sampleValue(parsed, 'switchyard_tokens_total', { provider, model, type });
    expect(tokens('pool', 'pooled', 'input')).toBe(chatUsage.input);
    expect(tokens('pool', 'pooled', 'output')).toBe(chatUsage.output);
    expect(tokens('claude', 'claude-x', 'input')).toBe(claudeUsage.input);
    expect(tokens('claude', 'claude-x', 'cached')).toBe(6);
    expect(tokens('claude', 'claude-x', 'cache_write')).toBe(3);
    expect(tokens('claude', 'claude-x', 'output')).toBe(claudeUsage.output);

    const claude = { provider: 'claude', model: 'claude-x', client_dialect: 'anthropic-messages' };
    expect(sampleValue(parsed, 'switchyard_time_to_first_token_seconds_count', claude)).toBe(1);
    expect(sampleValue(parsed, 'switchyard_request_duration_seconds_count', claude)).toBe(1);
    expect(sampleValue(parsed, 'switchyard_request_duration_seconds_sum', claude)).toBeGreaterThan(0);
  });
});
