import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../../test/mock-upstream/index.ts';
import { parseConfigText } from '../config/load-config.ts';
import { GatewayRuntime } from '../gateway/runtime.ts';
import { createGatewayServer } from '../server/http-server.ts';
import { logRoutes } from '../server/management/log-routes.ts';
import { registerManagementRoutes } from '../server/route-table.ts';
import { LogFiles, logSettingsOf } from './log-files.ts';
import { createLogger } from './logger.ts';

registerManagementRoutes(logRoutes);

const CLIENT_KEY = 'sk-client-e2e-logs-31337';
const CLAUDE_KEY = 'test-claude-upstream-secret-777';
const GEMINI_KEY = 'test-gemini-upstream-secret-888';
const SECRET = 'mgmt-e2e-logs-secret-42';

/** CCS's reads of an error log on disk: the first 4 KB for the model, the last 2 KB for the status. */
function ccsView(text: string): { model?: string; status?: number } {
  const bytes = Buffer.from(text);
  const model = /"model"\s*:\s*"([^"]+)"/.exec(bytes.subarray(0, 4096).toString('utf8'))?.[1];
  const status = /Status:\s*(\d{3})/.exec(bytes.subarray(Math.max(0, bytes.length - 2048)).toString('utf8'))?.[1];
  return { ...(model ? { model } : {}), ...(status ? { status: Number(status) } : {}) };
}

let mock: MockUpstream;
let dir: string;
let logs: LogFiles;
let runtime: GatewayRuntime;
let server: Server;
let base: string;

beforeAll(async () => {
  mock = await startMockUpstream();
  dir = await mkdtemp(join(tmpdir(), 'request-logs-e2e-'));
  const config = parseConfigText(
    `port: 0
host: 127.0.0.1
api-keys: [${CLIENT_KEY}]
logging-to-file: true
remote-management:
  secret-key: ${SECRET}
claude-api-key:
  - api-key: ${CLAUDE_KEY}
    base-url: ${mock.url}
    models: [{name: claude-x}]
gemini-api-key:
  - api-key: ${GEMINI_KEY}
    base-url: ${mock.url}
    models: [{name: gemini-x}]
`,
    join(dir, 'config.yaml'),
    {},
  );
  logs = new LogFiles({ directory: join(dir, 'logs'), version: 'e2e' });
  logs.redactor.setSecrets([CLIENT_KEY, CLAUDE_KEY, GEMINI_KEY, SECRET]);
  logs.apply(logSettingsOf(config));
  const logger = createLogger({ destination: new Writable({ write: (_chunk, _encoding, done) => done() }), redactor: logs.redactor, file: logs.mainLog });
  runtime = new GatewayRuntime(config, logger);
  Object.assign(runtime, { logs });
  runtime.observers.push(logs.requestLogs);
  server = createGatewayServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await logs.close();
  await runtime.close();
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

describe('request log files through the gateway', () => {
  it('writes an error log CCS can read for a failed request, found again by its request id', async () => {
    const response = await fetch(`${base}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-x', max_tokens: 20, messages: [{ role: 'user', content: '[[mock:error 429]]' }] }),
    });
    expect(response.status).toBe(429);
    const requestId = response.headers.get('x-request-id')!;
    const answer = await response.text();
    await logs.flush();

    const names = (await readdir(logs.directory)).filter((name) => name.startsWith('error-'));
    expect(names).toEqual([expect.stringMatching(new RegExp(`^error-v1-messages-\\d{4}-\\d{2}-\\d{2}T\\d{6}-${requestId}\\.log$`))]);
    const text = await readFile(join(logs.directory, names[0]!), 'utf8');
    expect(ccsView(text)).toEqual({ model: 'claude-x', status: 429 });
    const sections = text.split('\n').filter((line) => /^=== .* ===$/.test(line));
    expect(sections).toEqual([
      '=== REQUEST INFO ===',
      '=== HEADERS ===',
      '=== REQUEST BODY ===',
      '=== API REQUEST 1 ===',
      '=== API ERROR RESPONSE ===',
      '=== API RESPONSE 1 ===',
      '=== RESPONSE ===',
    ]);
    expect(text).toContain(`Upstream URL: ${mock.url}/v1/messages\n`);
    expect(text.endsWith(`=== RESPONSE ===\nStatus: 429\n\n${answer}\n`)).toBe(true);

    const listed = await fetch(`${base}/v0/management/request-error-logs`, { headers: { authorization: `Bearer ${SECRET}` } });
    const { files } = (await listed.json()) as { files: Array<{ name: string }> };
    expect(files.map((file) => file.name)).toEqual(names);
    const byId = await fetch(`${base}/v0/management/request-log-by-id/${requestId}`, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(await byId.text()).toBe(text);
  });

  it('writes nothing for a success while request-log is off, and no secret anywhere', async () => {
    const before = await readdir(logs.directory);
    const ok = await fetch(`${base}/v1beta/models/gemini-x:generateContent?key=${CLIENT_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }),
    });
    expect(ok.status).toBe(200);
    const failed = await fetch(`${base}/v1beta/models/gemini-x:generateContent?key=${CLIENT_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: `[[mock:error 503]] my key ${CLIENT_KEY}` }] }] }),
    });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    runtime.logger.info({ upstream: GEMINI_KEY }, `management secret ${SECRET}`);
    await logs.flush();
    const after = await readdir(logs.directory);
    const added = after.filter((name) => !before.includes(name));
    expect(added).toEqual([expect.stringMatching(/^error-v1beta-models-gemini-x-generateContent-/)]);
    for (const name of after) {
      const text = await readFile(join(logs.directory, name), 'utf8');
      for (const secret of [CLIENT_KEY, CLAUDE_KEY, GEMINI_KEY, SECRET]) expect(text, `${secret} in ${name}`).not.toContain(secret);
    }
    expect(after).toContain('main.log');
  });
});
