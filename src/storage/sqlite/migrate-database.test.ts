import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from './migrate-database.ts';
import type { SqliteMigration } from './migrations/migration.ts';
import { SqliteUsageStore } from './sqlite-usage-store.ts';
import { writeVersion1Database } from './__fixtures__/version-1-database.ts';
import { randomUsageRecords, testUsageRecord } from './__fixtures__/usage-records.ts';
import { SQLITE_MIGRATIONS } from './migrations/index.ts';
import { DIMENSION_TUPLE_COLUMNS, USAGE_RECORD_COLUMNS, usageRecordRows } from './usage-record-row.ts';
import { UsageRecordBatch } from '../../usage/usage-record-batch.ts';
import { UsageWriter } from './usage-writer.ts';

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
      expect(store.migration).toMatchObject({ from: 1, to: 4 });
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

  it('moves version 3 records to interned dimension tuples without changing one field, and reuses the tuples for new records', async () => {
    const records = randomUsageRecords(600, Date.UTC(2025, 5, 1), 3 * 86_400_000);
    records[7] = { ...records[7]!, errorCode: 'rate_limited', ttftMs: 120, estimated: true, subscription: true, authType: 'oauth' };
    const version3 = new DatabaseSync(path);
    migrateDatabase(version3, path, SQLITE_MIGRATIONS.slice(0, 3));
    const insert = version3.prepare(`INSERT INTO usage_records (${USAGE_RECORD_COLUMNS.join(', ')}) VALUES (${USAGE_RECORD_COLUMNS.map(() => '?').join(', ')})`);
    version3.exec('BEGIN');
    for (const row of usageRecordRows(UsageRecordBatch.of(records))) insert.run(...row);
    version3.exec('COMMIT');
    const tuples = (version3.prepare(`SELECT count(*) AS n FROM (SELECT DISTINCT ${DIMENSION_TUPLE_COLUMNS.join(', ')} FROM usage_records)`).get() as { n: number }).n;
    version3.close();

    const store = SqliteUsageStore.open(path);
    try {
      expect(store.migration).toMatchObject({ from: 3, to: 4 });
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      expect((await store.list({ limit: 10_000 })).sort(byId)).toEqual([...records].sort(byId));
      expect(await store.get(records[7]!.id)).toEqual(records[7]);
      const db = new DatabaseSync(path, { readOnly: true });
      const count = () => (db.prepare('SELECT count(*) AS n FROM usage_dimensions').get() as { n: number }).n;
      expect(count()).toBe(tuples);
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'usage_records%' ORDER BY name").all()).toEqual([{ name: 'usage_records' }]);
      // Compacted: the old table's pages are not left behind as free space.
      expect(db.prepare('PRAGMA freelist_count').get()).toEqual({ freelist_count: 0 });

      // A record with a known tuple adds no tuple; one with a new model adds one.
      const known = testUsageRecord({ ...records[0]!, id: 'new-1:1' });
      const newModel = testUsageRecord({ ...records[0]!, id: 'new-2:1', modelServed: 'm-new' });
      await store.insert(UsageRecordBatch.of([known, newModel]));
      expect(count()).toBe(tuples + 1);
      expect(await store.get('new-2:1')).toEqual(newModel);
      db.close();
    } finally {
      await store.close();
    }
  });

  it('refuses a database with a newer schema, and leaves it as it was', async () => {
    const db = new DatabaseSync(path);
    db.exec('CREATE TABLE from_the_future (x); PRAGMA user_version = 99;');
    db.close();
    expect(() => SqliteUsageStore.open(path)).toThrow(/schema version 99, newer than this Switchyard understands \(4\)/);
    const after = new DatabaseSync(path, { readOnly: true });
    expect(after.prepare('PRAGMA user_version').get()).toEqual({ user_version: 99 });
    after.close();
    expect((await readdir(dir)).filter((name) => name.includes('.bak-'))).toEqual([]);
  });

  it('creates a new database at the latest version without a backup, and takes none when nothing is left to do', async () => {
    const first = SqliteUsageStore.open(join(dir, 'nested', 'switchyard.db'));
    expect(first.migration).toEqual({ from: 0, to: 4 });
    await first.close();
    const second = SqliteUsageStore.open(join(dir, 'nested', 'switchyard.db'));
    expect(second.migration).toEqual({ from: 4, to: 4 });
    await second.close();
    expect((await readdir(join(dir, 'nested'))).filter((name) => name.includes('.bak-'))).toEqual([]);
  });

  it('keeps a migration that rewrote tables when the compaction after it fails, and says why', () => {
    const db = new DatabaseSync(path);
    const first: SqliteMigration = { version: 1, name: 'first', up: (target) => target.exec('CREATE TABLE one (x); INSERT INTO one VALUES (1), (2);') };
    migrateDatabase(db, path, [first]);
    let reading: Iterator<unknown> | undefined;
    const rewrite: SqliteMigration = {
      version: 2,
      name: 'rewrite',
      vacuumAfter: true,
      up: (target) => {
        target.exec('CREATE TABLE two AS SELECT x FROM one; DROP TABLE one;');
        // A statement still reading when the step ends: VACUUM refuses to run beside it.
        reading = target.prepare('SELECT x FROM two').iterate();
        reading.next();
      },
    };
    const outcome = migrateDatabase(db, path, [first, rewrite]);
    expect(outcome).toMatchObject({ from: 1, to: 2, compactionError: expect.stringMatching(/statements in progress/) });
    reading!.return!();
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 2 });
    expect(db.prepare('SELECT x FROM two ORDER BY x').all()).toEqual([{ x: 1 }, { x: 2 }]);
    db.close();
  });

  it('forgets the tuples a rolled-back write stored, so later records never point at a missing one', () => {
    const db = new DatabaseSync(path);
    migrateDatabase(db, path, SQLITE_MIGRATIONS);
    const writer = new UsageWriter(db);
    const first = testUsageRecord({ id: 'a:1', modelServed: 'rolled-back-model' });
    // The second row breaks a NOT NULL constraint after the first stored its new tuple.
    const broken = [...usageRecordRows(UsageRecordBatch.of([first]))].map((row) => [...row]);
    const bad = [...broken[0]!];
    bad[USAGE_RECORD_COLUMNS.indexOf('status')] = null;
    bad[0] = 'b:1';
    expect(() => writer.insert([broken[0]!, bad])).toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM usage_dimensions').get()).toEqual({ n: 0 });
    expect(writer.insert(usageRecordRows(UsageRecordBatch.of([first])))).toBe(1);
    expect(db.prepare('SELECT id, model_served FROM usage_records').all()).toEqual([{ id: 'a:1', model_served: 'rolled-back-model' }]);
    db.close();
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
