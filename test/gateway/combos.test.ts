import { writeFile } from 'node:fs/promises';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { runGatewayCli, startGatewayProcess, type GatewayProcess } from '../support/start-gateway.ts';

let mock: MockUpstream;
let gateway: GatewayProcess;

const providers = () => `
openai-compatibility:
  - name: alpha
    base-url: ${mock.url}/v1
    api-key-entries: [{api-key: test-alpha}]
    models: [{name: gpt-4o-mini, alias: alpha-model}]
claude-api-key:
  - api-key: test-beta
    base-url: ${mock.url}
    models: [{name: claude-sonnet-4-5, alias: beta-model}]
gemini-api-key:
  - api-key: test-gamma
    base-url: ${mock.url}
    models: [{name: gemini-2.5-flash, alias: gamma-model}]
`;

beforeAll(async () => {
  mock = await startMockUpstream();
  gateway = await startGatewayProcess(`port: 0
host: 127.0.0.1
api-keys: [sk-client]
disable-cooling: true
combos:
  - name: smart
    strategy: priority
    targets: [alpha-model, beta-model, gamma-model]
  - name: spread
    strategy: round-robin
    targets: [alpha-model, beta-model]
  - name: outer
    targets: [spread, gamma-model]
${providers()}`);
});
afterAll(async () => {
  await gateway.stop();
  await mock.close();
});
beforeEach(() => mock.reset());

async function chat(model: string, content = 'hi') {
  const response = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
  return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as Record<string, any> };
}

describe('combos', () => {
  it('serves a combo name like a model and lists combos among the models', async () => {
    const result = await chat('smart', 'combo call');
    expect(result.status).toBe(200);
    expect(result.body.choices[0].message.content).toBe('echo: combo call');
    expect(result.headers['x-switchyard-provider']).toBe('alpha');
    const models = await request(`${gateway.url}/v1/models`, { headers: { authorization: 'Bearer sk-client' } });
    const ids = ((await models.body.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['smart', 'spread', 'outer', 'alpha-model']));
  });

  it('fails over along the priority order, across providers and dialects', async () => {
    mock.setNextResponses([{ error: { status: 500 } }, { error: { status: 529 } }]);
    const result = await chat('smart', 'keep going');
    expect(result.status).toBe(200);
    expect(result.headers['x-switchyard-provider']).toBe('gemini');
    expect(result.headers['x-switchyard-attempts']).toBe('3');
    expect(mock.requests.map((recorded) => recorded.path)).toEqual([
      '/v1/chat/completions',
      '/v1/messages',
      '/v1beta/models/gemini-2.5-flash:generateContent',
    ]);
  });

  it('rotates a round-robin combo and expands nested combos', async () => {
    const providersSeen = new Set<string>();
    for (let i = 0; i < 4; i++) providersSeen.add(String((await chat('spread')).headers['x-switchyard-provider']));
    expect(providersSeen).toEqual(new Set(['alpha', 'claude']));
    mock.setNextResponses([{ error: { status: 500 } }, { error: { status: 500 } }]);
    const nested = await chat('outer');
    expect(nested.status).toBe(200);
    expect(nested.headers['x-switchyard-provider']).toBe('gemini');
  });

  it('refuses to start with combos that form a cycle, naming the path', async () => {
    const cyclic = `port: 0\ncombos:\n  - {name: a, targets: [b]}\n  - {name: b, targets: [a]}\n${providers()}`;
    const file = `${gateway.dir}/cyclic.yaml`;
    await writeFile(file, cyclic);
    const result = await runGatewayCli(['--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/combos: combo a → b → a is a cycle/);
  });
});
