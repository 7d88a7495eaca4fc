import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { startGatewayProcess } from '../support/start-gateway.ts';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(async () => {
  await mock.close();
});

const providers = () => `openai-compatibility:
  - name: mockai
    base-url: ${mock.url}/v1
    api-key-entries: [{api-key: test-a}]
    models: [{name: gpt-4o-mini, alias: counted}]
`;

describe('GET /metrics through the CLI', () => {
  it('counts requests and tokens when public', async () => {
    const gateway = await startGatewayProcess(`port: 0\nhost: 127.0.0.1\napi-keys: [sk-client]\nmetrics: {public: true}\n${providers()}`);
    try {
      const chat = await request(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
        body: JSON.stringify({ model: 'counted', messages: [{ role: 'user', content: 'count me' }] }),
      });
      const usage = ((await chat.body.json()) as { usage: { prompt_tokens: number } }).usage;
      const scrape = await request(`${gateway.url}/metrics`);
      expect(scrape.statusCode).toBe(200);
      expect(scrape.headers['content-type']).toContain('text/plain');
      const text = await scrape.body.text();
      expect(text).toMatch(/switchyard_requests_total\{provider="mockai",model="counted",client_dialect="openai-chat",status="200"\} 1/);
      expect(text).toContain(`switchyard_tokens_total{provider="mockai",model="counted",type="input"} ${usage.prompt_tokens}`);
      expect(text).not.toContain('sk-client');
    } finally {
      await gateway.stop();
    }
  });

  it('is closed like the management API unless public', async () => {
    const closed = await startGatewayProcess(`port: 0\nhost: 127.0.0.1\n${providers()}`);
    try {
      expect((await request(`${closed.url}/metrics`)).statusCode).toBe(404);
    } finally {
      await closed.stop();
    }
    const guarded = await startGatewayProcess(`port: 0\nhost: 127.0.0.1\nremote-management: {secret-key: mgmt-secret}\n${providers()}`);
    try {
      expect((await request(`${guarded.url}/metrics`)).statusCode).toBe(401);
      expect((await request(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer mgmt-secret' } })).statusCode).toBe(200);
    } finally {
      await guarded.stop();
    }
  });
});
