import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearMainLogs, logLineTimestamp, readMainLog } from './read-main-log.ts';

process.env.TZ = 'UTC';

let directory: string;

function line(seconds: number, msg: string): string {
  return JSON.stringify({ level: 30, time: seconds * 1000 + 250, msg });
}

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'read-main-log-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readMainLog', () => {
  it('reads rotated files oldest first, then main.log, and reports CLIProxyAPI totals', async () => {
    await writeFile(join(directory, 'main-2025-01-15T10-00-00.000.log'), `${line(100, 'oldest')}\n${line(110, 'older')}\n`);
    await writeFile(join(directory, 'main-2025-01-15T11-00-00.000.log'), `${line(200, 'middle')}\r\n`);
    await writeFile(join(directory, 'main.log'), `${line(300, 'newest')}\n  at stack frame without time\n${line(310, 'last')}`);
    await writeFile(join(directory, 'error-v1-messages-2025-01-15T100000-x.log'), 'not part of the application log\n');
    const all = await readMainLog(directory, { after: 0, limit: 0 });
    expect(all.lines.map((text) => (text.startsWith('{') ? JSON.parse(text).msg : text))).toEqual([
      'oldest',
      'older',
      'middle',
      'newest',
      '  at stack frame without time',
      'last',
    ]);
    expect(all.lineCount).toBe(6);
    expect(all.latestTimestamp).toBe(310);
  });

  it('keeps lines after the cutoff (untimed lines follow the one before) and the last `limit` of them', async () => {
    await writeFile(join(directory, 'main.log'), [line(100, 'a'), 'continuation of a', line(200, 'b'), 'continuation of b', line(300, 'c'), ''].join('\n'));
    const after = await readMainLog(directory, { after: 150, limit: 0 });
    expect(after.lines).toEqual([line(200, 'b'), 'continuation of b', line(300, 'c')]);
    expect(after.lineCount).toBe(5);
    const limited = await readMainLog(directory, { after: 0, limit: 2 });
    expect(limited.lines).toEqual(['continuation of b', line(300, 'c')]);
    const none = await readMainLog(directory, { after: 999, limit: 0 });
    expect(none).toEqual({ lines: [], lineCount: 5, latestTimestamp: 999 });
  });

  it('answers an empty page when the directory does not exist yet', async () => {
    expect(await readMainLog(join(directory, 'missing'), { after: 42, limit: 10 })).toEqual({ lines: [], lineCount: 0, latestTimestamp: 42 });
  });

  it('understands CLIProxyAPI text lines and pino JSON lines', () => {
    expect(logLineTimestamp('[2025-01-15 10:30:00] [info ] [main.go:12] started')).toBe(Date.UTC(2025, 0, 15, 10, 30, 0) / 1000);
    expect(logLineTimestamp('{"level":30,"time":1736937000999,"msg":"x"}')).toBe(1736937000);
    expect(logLineTimestamp('plain text')).toBe(0);
    expect(logLineTimestamp(`{"level":30,"msg":"${'x'.repeat(80)}","time":1736937000999}`)).toBe(0);
  });
});

describe('clearMainLogs', () => {
  it('empties main.log in place, removes its rotations and leaves request logs alone', async () => {
    await writeFile(join(directory, 'main.log'), 'line\n');
    await writeFile(join(directory, 'main-2025-01-15T10-00-00.000.log'), 'old\n');
    await writeFile(join(directory, 'main-2025-01-15T10-00-00.000.2.log'), 'old\n');
    await writeFile(join(directory, 'error-v1-messages-2025-01-15T100000-x.log'), 'keep\n');
    expect(await clearMainLogs(directory)).toBe(2);
    expect((await readdir(directory)).sort()).toEqual(['error-v1-messages-2025-01-15T100000-x.log', 'main.log']);
    expect(await readFile(join(directory, 'main.log'), 'utf8')).toBe('');
  });
});
