import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from './migrate-database.ts';
import type { SqliteMigration } from './migrations/migration.ts';
import { SqliteUsageStore } from './sqlite-usage-store.ts';
import { writeVersion1Database } from './__fixtures__/version-1-database.ts';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'usage-migrate-'));
  path = join(dir, 'switchyard.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rows of the version 1 database this test upgrades. */
const VERSION_1_ROWS = `
      ('old-1:1', 'old-1', 1, 1735732800000, 'key-a', 'sk-a…aaaa', 'claude', 'claude-api-key[0]', 'abcdef0123456789', 'api-key',
       'sonnet', 'claude-sonnet-4-5', '/v1/messages', 'anthropic-messages', 'anthropic-messages', 1, 200, 0, NULL,
       1000, 200, 300, 0, 50, 0, 1500, 300, 0.0066, 0),
      ('old-2:1', 'old-2', 1, 1735736460000, 'key-b', 'sk-b…bbbb', 'gemini', 'gemini-api-key[0]', '0123456789abcdef', 'api-key',
       'flash', 'gemini-2.5-flash', '/v1/chat/completions', 'openai-chat', 'gemini', 0, 429, 1, 'rate_limited',
       0, 0, 0, 0, 0, 0, 80, NULL, 0, 0)`;

describe('usage database migrations', () => {
  it('upgrades a version 1 database keeping its records, after writing a backup of it', async () => {
    writeVersion1Database(path, VERSION_1_ROWS);
    const store = SqliteUsageStore.open(path);
    try {
      expect(store.migration).toMatchObject({ from: 1, to: 3 });
      const backups = (await readdir(dir)).filter((name) => /^switchyard\.db\.bak-v1-\d{8}T\d{6}Z$/.test(name));
      expect(backups).toHaveLength(1);
      expect(store.migration.backupPath).toBe(join(dir, backups[0]!));

      const backup = new DatabaseSync(join(dir, backups[0]!), { readOnly: true });
      expect(backup.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
      expect(backup.prepare('SELECT id FROM usage_records ORDER BY id').all().map((row) => row.id)).toEqual(['old-1:1', 'old-2:1']);
      backup.close();

      expect(await store.get('old-2:1')).toMatchObject({ failed: true, errorCode: 'rate_limited', provider: 'gemini', status: 429 });
      expect(await store.totals({})).toMatchObject({ requests: 2, failures: 1, inputTokens: 1000, outputTokens: 200, cachedInputTokens: 300, reasoningTokens: 50 });
      expect((await store.grouped({ provider: 'claude' }, 'hour')).map((group) => [group.key, group.requests])).toEqual([['2025-01-01T12', 1]]);
      expect((await store.grouped({}, 'hour')).map((group) => [group.key, group.requests])).toEqual([
        ['2025-01-01T12', 1],
        ['2025-01-01T13', 1],
      ]);
      expect((await store.list({ model: 'gemini-2.5-flash' })).map((record) => record.id)).toEqual(['old-2:1']);
    } finally {
      await store.close();
    }
  });

  it('refuses a database with a newer schema, and leaves it as it was', async () => {
    const db = new DatabaseSync(path);
    db.exec('CREATE TABLE from_the_future (x); PRAGMA user_version = 99;');
    db.close();
    expect(() => SqliteUsageStore.open(path)).toThrow(/schema version 99, newer than this Switchyard understands \(3\)/);
    const after = new DatabaseSync(path, { readOnly: true });
    expect(after.prepare('PRAGMA user_version').get()).toEqual({ user_version: 99 });
    after.close();
    expect((await readdir(dir)).filter((name) => name.includes('.bak-'))).toEqual([]);
  });

  it('creates a new database at the latest version without a backup, and takes none when nothing is left to do', async () => {
    const first = SqliteUsageStore.open(join(dir, 'nested', 'switchyard.db'));
    expect(first.migration).toEqual({ from: 0, to: 3 });
    await first.close();
    const second = SqliteUsageStore.open(join(dir, 'nested', 'switchyard.db'));
    expect(second.migration).toEqual({ from: 3, to: 3 });
    await second.close();
    expect((await readdir(join(dir, 'nested'))).filter((name) => name.includes('.bak-'))).toEqual([]);
  });

  it('rolls a failing step back whole, leaving the version before it', () => {
    const db = new DatabaseSync(path);
    const steps: SqliteMigration[] = [
      { version: 1, name: 'first', up: (target) => target.exec('CREATE TABLE one (x)') },
      {
        version: 2,
        name: 'broken',
        up: (target) => {
          target.exec('CREATE TABLE two (x); INSERT INTO one VALUES (1);');
          throw new Error('disk on fire');
        },
      },
    ];
    expect(() => migrateDatabase(db, path, steps)).toThrow(/schema migration 2 \(broken\) failed: disk on fire/);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map((row) => row.name)).toEqual(['one']);
    expect(db.prepare('SELECT count(*) AS n FROM one').get()).toEqual({ n: 0 });
    db.close();
  });
});
