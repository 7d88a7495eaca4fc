import { rename, writeFile } from 'node:fs/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/start-gateway.ts';

let mock: MockUpstream;
let gateway: GatewayProcess;

function configWith(alias: string): string {
  return `port: 0
host: 127.0.0.1
api-keys: [sk-client]
openai-compatibility:
  - name: mockai
    base-url: ${mock.url}/v1
    api-key-entries: [{api-key: test-a}]
    models: [{name: gpt-4o-mini, alias: ${alias}}]
`;
}

async function chat(model: string): Promise<number> {
  const response = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.body.dump();
  return response.statusCode;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached in time');
}

beforeAll(async () => {
  mock = await startMockUpstream();
  gateway = await startGatewayProcess(configWith('first'));
});
afterAll(async () => {
  await gateway.stop();
  await mock.close();
});

describe('config hot reload', () => {
  it('picks up an in-place edit', async () => {
    expect(await chat('first')).toBe(200);
    await writeFile(gateway.configPath, configWith('second'));
    await eventually(async () => (await chat('second')) === 200);
    expect(await chat('first')).toBe(502);
  });

  it('picks up an atomic replace (write temp + rename)', async () => {
    const temp = `${gateway.configPath}.tmp`;
    await writeFile(temp, configWith('third'));
    await rename(temp, gateway.configPath);
    await eventually(async () => (await chat('third')) === 200);
  });

  it('keeps the last good config when an edit is invalid, and says why', async () => {
    await writeFile(gateway.configPath, 'port: 0\nclaude-api-key:\n  - api-key: 5\n    priority: nope\n');
    await eventually(async () => gateway.output().includes('config change rejected'));
    expect(gateway.output()).toMatch(/claude-api-key\[0\]\.priority/);
    expect(await chat('third')).toBe(200);
    expect(gateway.process.exitCode).toBeNull();
  });
});
