import { mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testUsageRecord } from '../storage/sqlite/__fixtures__/usage-records.ts';
import type { UsageRecord } from '../usage/usage-record.ts';
import { LogFiles, resolveLogDirectory, type LogSettings } from './log-files.ts';
import { createLogger } from './logger.ts';
import { RequestLogWriter } from './request-log-files.ts';
import type { RequestFinishedEvent } from './request-events.ts';

const CLIENT_KEY = 'sk-client-live-key-000111';
const UPSTREAM_KEY = 'sk-ant-upstream-secret-999888';
const MANAGEMENT_KEY = 'management-secret-key-4242';
const SECRETS = [CLIENT_KEY, UPSTREAM_KEY, MANAGEMENT_KEY];

const SETTINGS: LogSettings = { loggingToFile: true, logsMaxTotalSizeMb: 0, requestLog: false, errorLogsMaxFiles: 10 };

let directory: string;
let logs: LogFiles;
let stdout: string;

function memory(): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      stdout += String(chunk);
      done();
    },
  });
}

function attemptRecord(requestId: string, status: number): UsageRecord {
  return testUsageRecord({
    id: `${requestId}:1`,
    timestamp: Date.now(),
    clientKeyId: 'c',
    clientKeyLabel: 'sk-c…0111',
    modelRequested: 'claude-x',
    modelServed: 'claude-x',
    status,
    failed: status >= 400,
    inputTokens: 1,
    outputTokens: 1,
    latencyMs: 3,
    costUsd: 0,
  });
}

/** A request that carries every secret wherever one could leak: headers, query, bodies, upstream URL and answer. */
function event(requestId: string, status: number, body = 'hello'): RequestFinishedEvent {
  return {
    requestId,
    receivedAt: Date.now(),
    method: 'POST',
    url: `/v1/messages?key=${CLIENT_KEY}`,
    headers: { 'x-api-key': CLIENT_KEY, authorization: `Bearer ${CLIENT_KEY}`, 'x-management-key': MANAGEMENT_KEY, 'content-type': 'application/json' },
    requestBody: Buffer.from(JSON.stringify({ model: 'claude-x', messages: [{ role: 'user', content: `${body} my key is ${CLIENT_KEY}` }] })),
    status,
    responseBody: status >= 400 ? `{"error":{"message":"key ${UPSTREAM_KEY} refused"}}` : '{"ok":true}',
    attempts: [
      {
        record: attemptRecord(requestId, status),
        upstreamUrl: `https://api.example/v1/messages?key=${UPSTREAM_KEY}`,
        upstreamRequestBody: `{"model":"claude-x","api_key":"${UPSTREAM_KEY}"}`,
        ...(status >= 400 ? { upstreamErrorBody: `{"error":"invalid x-api-key ${UPSTREAM_KEY}"}` } : {}),
      },
    ],
  };
}

async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

async function totalSize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), 'log-files-')), 'logs');
  stdout = '';
  logs = new LogFiles({ directory, version: '0.1.0-test', maxRotateBytes: 64 * 1024 });
  logs.redactor.setSecrets(SECRETS);
});
afterEach(async () => {
  await logs.close();
  await rm(join(directory, '..'), { recursive: true, force: true });
});

describe('log directory', () => {
  it('is $WRITABLE_PATH/logs when set (as CCS runs CLIProxyAPI), else <data dir>/logs', () => {
    expect(resolveLogDirectory('/data', { WRITABLE_PATH: '/home/u/.ccs/cliproxy' })).toBe('/home/u/.ccs/cliproxy/logs');
    expect(resolveLogDirectory('/data', { WRITABLE_PATH: '  ' })).toBe('/data/logs');
    expect(resolveLogDirectory('/data', {})).toBe('/data/logs');
  });
});

describe('application log file', () => {
  it('writes main.log only while logging-to-file is on, with secrets masked in every output', async () => {
    const logger = createLogger({ destination: memory(), redactor: logs.redactor, file: logs.mainLog });
    logger.info({ note: `client ${CLIENT_KEY}` }, 'before file logging');
    logs.apply(SETTINGS);
    logger.info({ upstream: { key: UPSTREAM_KEY } }, `management key ${MANAGEMENT_KEY} used`);
    logger.warn({ headers: { 'x-api-key': CLIENT_KEY } }, 'header censored structurally');
    await logs.flush();
    const text = await readFile(join(directory, 'main.log'), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'management key mana…4242 used', upstream: { key: 'sk-a…9888' } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ headers: { 'x-api-key': '[redacted]' } });
    expect(stdout).toContain('before file logging');
    expect(stdout).toContain('client sk-c…0111');

    logs.apply({ ...SETTINGS, loggingToFile: false });
    logger.info('not in the file');
    await logs.flush();
    expect(await readFile(join(directory, 'main.log'), 'utf8')).toBe(text);
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
      expect(stdout).not.toContain(secret);
    }
  });

  it('rotates main.log by size under CLIProxyAPI names and keeps the directory under logs-max-total-size-mb', async () => {
    const logger = createLogger({ destination: memory(), redactor: logs.redactor, file: logs.mainLog });
    logs.apply({ ...SETTINGS, logsMaxTotalSizeMb: 1 });
    const filler = 'x'.repeat(900);
    for (let line = 0; line < 3000; line++) logger.info({ line, filler }, 'filler');
    await logs.flush();
    const names = await filesIn(directory);
    expect(names).toContain('main.log');
    const rotated = names.filter((name) => name !== 'main.log');
    expect(rotated.length).toBeGreaterThan(3);
    for (const name of rotated) expect(name).toMatch(/^main-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}(\.\d+)?\.log$/);
    expect(await totalSize(directory)).toBeLessThanOrEqual(1024 * 1024);
    expect((await stat(join(directory, 'main.log'))).size).toBeLessThanOrEqual(64 * 1024 + 2048);
    // The newest lines survive; the oldest were dropped with their files.
    const all = (await Promise.all(names.map((name) => readFile(join(directory, name), 'utf8')))).join('');
    expect(all).toContain('"line":2999');
    expect(all).not.toContain('"line":0,');
  });
});

describe('request and error log files', () => {
  it('writes error logs only for failed requests while request-log is off, capped by error-logs-max-files', async () => {
    logs.apply({ ...SETTINGS, loggingToFile: false, errorLogsMaxFiles: 3 });
    logs.requestLogs.requestFinished(event('ok-1', 200));
    for (let index = 1; index <= 6; index++) logs.requestLogs.requestFinished(event(`fail-${index}`, index % 2 ? 429 : 500));
    await logs.flush();
    const names = await filesIn(directory);
    expect(names).toHaveLength(3);
    for (const name of names) expect(name).toMatch(/^error-v1-messages-\d{4}-\d{2}-\d{2}T\d{6}-fail-[4-6]\.log$/);
  });

  it('keeps the newest error logs by modification time', async () => {
    logs.apply({ ...SETTINGS, loggingToFile: false, errorLogsMaxFiles: 0 });
    for (const id of ['a', 'b', 'c']) logs.requestLogs.requestFinished(event(id, 500));
    await logs.flush();
    expect(await filesIn(directory)).toHaveLength(3);
    // Age `c` (the newest by name) so that time, not name, must decide.
    const [first, second, third] = await filesIn(directory);
    const past = new Date(Date.now() - 3_600_000);
    await utimes(join(directory, third!), past, past);
    logs.apply({ ...SETTINGS, loggingToFile: false, errorLogsMaxFiles: 2 });
    await logs.flush();
    expect(await filesIn(directory)).toEqual([first, second]);
  });

  it('writes every request without the error- prefix while request-log is on, capped by total size', async () => {
    logs.apply({ ...SETTINGS, loggingToFile: false, requestLog: true, logsMaxTotalSizeMb: 1 });
    logs.requestLogs.requestFinished(event('ok-1', 200));
    logs.requestLogs.requestFinished(event('fail-1', 502));
    await logs.flush();
    const names = await filesIn(directory);
    expect(names).toHaveLength(2);
    for (const name of names) expect(name.startsWith('v1-messages-')).toBe(true);
    const success = await readFile(join(directory, names.find((name) => name.endsWith('-ok-1.log'))!), 'utf8');
    expect(success).toMatch(/=== RESPONSE ===\nStatus: 200\n\n\{"ok":true\}\n$/);

    const big = 'y'.repeat(100 * 1024);
    for (let index = 0; index < 25; index++) logs.requestLogs.requestFinished(event(`big-${index}`, 200, big));
    await logs.flush();
    expect(await totalSize(directory)).toBeLessThanOrEqual(1024 * 1024);
    expect((await filesIn(directory)).some((name) => name.endsWith('-big-24.log'))).toBe(true);
  });

  it('never writes a live secret into any file it produces', async () => {
    const logger = createLogger({ destination: memory(), redactor: logs.redactor, file: logs.mainLog });
    logs.apply({ ...SETTINGS, requestLog: true });
    logger.info({ clientKey: CLIENT_KEY, nested: { token: UPSTREAM_KEY } }, `auth with ${MANAGEMENT_KEY}`);
    logger.error({ err: new Error(`upstream rejected ${UPSTREAM_KEY}`) }, 'failure');
    logs.requestLogs.requestFinished(event('secret-ok', 200));
    logs.requestLogs.requestFinished(event('secret-fail', 401));
    await logs.flush();
    const names = await filesIn(directory);
    expect(names).toEqual(expect.arrayContaining(['main.log']));
    expect(names).toHaveLength(3);
    for (const name of names) {
      const text = await readFile(join(directory, name), 'utf8');
      expect(text.length).toBeGreaterThan(0);
      for (const secret of SECRETS) expect(text, `${secret} in ${name}`).not.toContain(secret);
    }
    expect(stdout).not.toMatch(new RegExp(SECRETS.join('|')));
  });

  it('bounds its queue by files and by bytes instead of growing memory', async () => {
    const writer = new RequestLogWriter({ directory, version: 'v', redactor: logs.redactor });
    for (let index = 0; index < 1001; index++) writer.requestFinished(event(`queued-${index}`, 500));
    expect(writer.dropped).toBe(1);
    await writer.flush();
    expect(await filesIn(directory)).toHaveLength(1000);

    const huge = 'z'.repeat(40 * 1024 * 1024);
    writer.requestFinished(event('huge-1', 500, huge));
    writer.requestFinished(event('huge-2', 500, huge));
    expect(writer.dropped).toBe(2);
    await writer.flush();
    const names = await filesIn(directory);
    expect(names.some((name) => name.endsWith('-huge-1.log'))).toBe(true);
    expect(names.some((name) => name.endsWith('-huge-2.log'))).toBe(false);
  });

  it('writes off the request path', async () => {
    logs.apply({ ...SETTINGS, loggingToFile: false });
    logs.requestLogs.requestFinished(event('later', 500));
    await expect(readdir(directory)).rejects.toMatchObject({ code: 'ENOENT' });
    await logs.flush();
    expect(await filesIn(directory)).toHaveLength(1);
  });
});
