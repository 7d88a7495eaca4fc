import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load-config.ts';
import { GatewayRuntime } from '../../gateway/runtime.ts';
import { LogFiles, logSettingsOf } from '../../observability/log-files.ts';
import { createLogger } from '../../observability/logger.ts';
import { createGatewayServer } from '../http-server.ts';
import { registerManagementRoutes } from '../route-table.ts';
import { logRoutes } from './log-routes.ts';

registerManagementRoutes(logRoutes);

const SECRET = 'route-secret-0042';

const CONFIG = `# log routes test
port: 0
logging-to-file: true
request-log: false
error-logs-max-files: 10
remote-management:
  secret-key: ${SECRET}
`;

let dir: string;
let file: string;
let logs: LogFiles;
let runtime: GatewayRuntime;
let server: Server;
let base: string;

async function call(method: string, path: string, body?: string): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${SECRET}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-routes-'));
  file = join(dir, 'config.yaml');
  await writeFile(file, CONFIG);
  logs = new LogFiles({ directory: join(dir, 'logs'), version: 'test' });
  const config = parseConfigText(CONFIG, file, {});
  logs.apply(logSettingsOf(config));
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  runtime = new GatewayRuntime(config, createLogger({ destination: quiet, file: logs.mainLog, redactor: logs.redactor }));
  Object.assign(runtime, { logs });
  server = createGatewayServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await logs.close();
  await runtime.close();
  await rm(dir, { recursive: true, force: true });
});

describe('GET/DELETE /v0/management/logs', () => {
  it('sits behind the management key', async () => {
    const response = await fetch(`${base}/v0/management/logs`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'missing management key' });
  });

  it('serves main.log lines with line-count and latest-timestamp, then clears them', async () => {
    runtime.logger.info('first line');
    runtime.logger.warn('second line');
    await logs.flush();
    await writeFile(join(logs.directory, 'main-2025-01-15T10-00-00.000.log'), '{"level":30,"time":1736935200000,"msg":"rotated"}\n');
    const page = await call('GET', '/v0/management/logs');
    expect(page.status).toBe(200);
    expect(Object.keys(page.json)).toEqual(['lines', 'line-count', 'latest-timestamp']);
    expect(page.json.lines.map((line: string) => JSON.parse(line).msg)).toEqual(['rotated', 'first line', 'second line']);
    expect(page.json['line-count']).toBe(3);
    expect(page.json['latest-timestamp']).toBe(Math.floor(JSON.parse(page.json.lines[2]).time / 1000));

    const limited = await call('GET', '/v0/management/logs?limit=1');
    expect(limited.json.lines).toHaveLength(1);
    const later = await call('GET', `/v0/management/logs?after=${page.json['latest-timestamp']}`);
    expect(later.json).toEqual({ lines: [], 'line-count': 3, 'latest-timestamp': page.json['latest-timestamp'] });
    expect((await call('GET', '/v0/management/logs?limit=abc')).json).toEqual({ error: 'invalid limit: must be a positive integer' });
    expect((await call('GET', '/v0/management/logs?limit=0')).json).toEqual({ error: 'invalid limit: must be greater than zero' });

    const cleared = await call('DELETE', '/v0/management/logs');
    expect(cleared.json).toEqual({ success: true, message: 'Logs cleared successfully', removed: 1 });
    expect(await readFile(join(logs.directory, 'main.log'), 'utf8')).toBe('');
    runtime.logger.info('after clearing');
    await logs.flush();
    expect((await call('GET', '/v0/management/logs')).json.lines.map((line: string) => JSON.parse(line).msg)).toEqual(['after clearing']);
  });

  it('answers 400 while logging to file is off', async () => {
    await editConfig('logging-to-file: true', 'logging-to-file: false');
    expect(await call('GET', '/v0/management/logs')).toMatchObject({ status: 400, json: { error: 'logging to file disabled' } });
    expect(await call('DELETE', '/v0/management/logs')).toMatchObject({ status: 400, json: { error: 'logging to file disabled' } });
  });
});

async function editConfig(from: string, to: string): Promise<void> {
  const text = (await readFile(file, 'utf8')).replace(from, to);
  await writeFile(file, text);
  const config = parseConfigText(text, file, {});
  runtime.apply(config);
  logs.apply(logSettingsOf(config));
}

async function errorLog(name: string, text: string): Promise<void> {
  await mkdir(logs.directory, { recursive: true });
  await writeFile(join(logs.directory, name), text);
}

describe('request error logs', () => {
  it('lists error-*.log files newest first with size and unix modified time', async () => {
    expect((await call('GET', '/v0/management/request-error-logs')).json).toEqual({ files: [] });
    await errorLog('error-v1-messages-2025-01-15T100000-aaa.log', 'one');
    await errorLog('error-v1-chat-completions-2025-01-15T100001-bbb.log', 'three');
    await errorLog('v1-messages-2025-01-15T100002-ccc.log', 'not an error log');
    const listed = await call('GET', '/v0/management/request-error-logs');
    expect(listed.status).toBe(200);
    expect(listed.json.files.map((entry: { name: string }) => entry.name).sort()).toEqual([
      'error-v1-chat-completions-2025-01-15T100001-bbb.log',
      'error-v1-messages-2025-01-15T100000-aaa.log',
    ]);
    for (const entry of listed.json.files) {
      expect(Object.keys(entry)).toEqual(['name', 'size', 'modified']);
      expect(Math.abs(entry.modified - Date.now() / 1000)).toBeLessThan(60);
    }
    expect(listed.json.files.find((entry: { name: string }) => entry.name.endsWith('bbb.log')).size).toBe(5);
  });

  it('lists nothing while request-log is on (failed requests then get ordinary files)', async () => {
    await errorLog('error-v1-messages-2025-01-15T100000-aaa.log', 'one');
    await editConfig('request-log: false', 'request-log: true');
    expect((await call('GET', '/v0/management/request-error-logs')).json).toEqual({ files: [] });
  });

  it('downloads one error log by name, and refuses anything that is not an error log of the directory', async () => {
    await errorLog('error-v1-messages-2025-01-15T100000-aaa.log', '=== REQUEST INFO ===\n');
    await writeFile(join(dir, 'error-outside.log'), 'outside the logs directory');
    const found = await call('GET', '/v0/management/request-error-logs/error-v1-messages-2025-01-15T100000-aaa.log');
    expect(found.status).toBe(200);
    expect(found.text).toBe('=== REQUEST INFO ===\n');
    expect(found.headers.get('content-disposition')).toBe('attachment; filename="error-v1-messages-2025-01-15T100000-aaa.log"');

    for (const name of ['..%2Ferror-outside.log', 'error-..%2F..%2Fconfig.yaml', 'error-a%5C..%5Cb.log', 'error-..log', 'main.log', 'v1-messages-x.log', 'error-x.txt', '%20']) {
      const refused = await call('GET', `/v0/management/request-error-logs/${name}`);
      expect(refused, name).toMatchObject({ status: 400, json: { error: 'invalid log file name' } });
    }
    expect(await call('GET', '/v0/management/request-error-logs/error-missing.log')).toMatchObject({ status: 404, json: { error: 'log file not found' } });
  });

  it('finds a request or error log by request id', async () => {
    await errorLog('error-v1-messages-2025-01-15T100000-0b1c2d3e-aaaa-bbbb.log', 'the error log');
    const found = await call('GET', '/v0/management/request-log-by-id/0b1c2d3e-aaaa-bbbb');
    expect(found.status).toBe(200);
    expect(found.text).toBe('the error log');
    expect(await call('GET', '/v0/management/request-log-by-id/nope')).toMatchObject({
      status: 404,
      json: { error: 'log file not found for the given request ID' },
    });
    expect(await call('GET', '/v0/management/request-log-by-id/..%2Fconfig')).toMatchObject({ status: 400, json: { error: 'invalid request ID' } });
  });
});

describe('log settings', () => {
  const cases: Array<[string, unknown, unknown, unknown]> = [
    // key, initial GET value, PUT value, value written to config.yaml
    ['request-log', false, true, true],
    ['logging-to-file', true, false, false],
    ['logs-max-total-size-mb', 0, -5, 0],
    ['error-logs-max-files', 10, -1, 10],
  ];
  for (const [key, initial, value, written] of cases) {
    it(`GET/PUT/PATCH /v0/management/${key}`, async () => {
      expect((await call('GET', `/v0/management/${key}`)).json).toEqual({ [key]: initial });
      const put = await call('PUT', `/v0/management/${key}`, JSON.stringify({ value }));
      expect(put).toMatchObject({ status: 200, json: { status: 'ok' } });
      expect(await readFile(file, 'utf8')).toContain(`${key}: ${written}\n`);
      expect((await call('GET', `/v0/management/${key}`)).json).toEqual({ [key]: written });
      const patch = await call('PATCH', `/v0/management/${key}`, JSON.stringify({ value: initial }));
      expect(patch).toMatchObject({ status: 200, json: { status: 'ok' } });
      expect((await call('GET', `/v0/management/${key}`)).json).toEqual({ [key]: initial });
      expect(await readFile(file, 'utf8')).toContain('# log routes test\n');
    });
  }

  it('refuses bodies that are not {"value": <right type>} with CLIProxyAPI\'s error', async () => {
    const before = await readFile(file, 'utf8');
    for (const [key, body] of [
      ['request-log', '{"value":"true"}'],
      ['request-log', '{}'],
      ['request-log', 'not json'],
      ['logging-to-file', '[true]'],
      ['logs-max-total-size-mb', '{"value":1.5}'],
      ['error-logs-max-files', '{"value":null}'],
      ['error-logs-max-files', ''],
    ] as const) {
      expect(await call('PUT', `/v0/management/${key}`, body), `${key} ${body}`).toMatchObject({ status: 400, json: { error: 'invalid body' } });
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
