import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { ROLLUP_SUM_COLUMNS, ROLLUPS, type RollupTable } from './rollup-tables.ts';
import { USAGE_RECORD_COLUMNS, usageRecordColumnIndex, type UsageRecordValues } from './usage-record-row.ts';

/** Rows deleted per purge transaction, so inserts queued behind a purge wait milliseconds, not seconds. */
const PURGE_CHUNK = 5_000;

const ROLLUP_COUNTERS = ['requests', ...ROLLUP_SUM_COLUMNS];
const keyColumns = (table: RollupTable) => ['bucket', ...table.keys.map(([column]) => column)];
const TIMESTAMP_INDEX = usageRecordColumnIndex('timestamp');
const SUM_INDEXES = ROLLUP_SUM_COLUMNS.map(usageRecordColumnIndex);

/** One rollup row's worth of an insert batch. */
interface RollupDelta {
  keys: SQLInputValue[];
  counters: number[];
}

/** What an insert batch adds to one rollup table, a delta per bucket and key tuple. */
class RollupDeltas {
  readonly table: RollupTable;
  readonly deltas = new Map<string, RollupDelta>();
  private readonly keyIndexes: number[];
  private last: RollupDelta | undefined;

  constructor(table: RollupTable) {
    this.table = table;
    this.keyIndexes = table.keys.map(([, source]) => usageRecordColumnIndex(source));
  }

  add(row: UsageRecordValues): void {
    const bucket = Math.floor((row[TIMESTAMP_INDEX] as number) / this.table.bucketMs) * this.table.bucketMs;
    // Consecutive records mostly share their key tuple (one client's session), which spares the
    // map lookup and its key string.
    let delta = this.last !== undefined && this.sameKeys(this.last.keys, bucket, row) ? this.last : undefined;
    if (!delta) {
      const keys: SQLInputValue[] = [bucket];
      for (const index of this.keyIndexes) keys.push(row[index]!);
      const id = keys.join('\u0000');
      delta = this.deltas.get(id);
      if (!delta) {
        delta = { keys, counters: [0, 0, 0, 0, 0, 0, 0] };
        this.deltas.set(id, delta);
      }
      this.last = delta;
    }
    delta.counters[0] += 1;
    for (let index = 0; index < SUM_INDEXES.length; index++) delta.counters[index + 1] += row[SUM_INDEXES[index]] as number;
  }

  private sameKeys(keys: readonly SQLInputValue[], bucket: number, row: UsageRecordValues): boolean {
    if (keys[0] !== bucket) return false;
    for (let index = 0; index < this.keyIndexes.length; index++) if (keys[index + 1] !== row[this.keyIndexes[index]]) return false;
    return true;
  }
}

/**
 * The only code that writes usage data. Each insert batch and each purge chunk is one transaction
 * that changes the raw records and every rollup together, so readers never see them disagree.
 */
export class UsageWriter {
  private readonly db: DatabaseSync;
  private readonly insertRecord: StatementSync;
  private readonly upserts: Array<[RollupTable, StatementSync]>;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.insertRecord = db.prepare(
      `INSERT INTO usage_records (${USAGE_RECORD_COLUMNS.join(', ')}) VALUES (${USAGE_RECORD_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (id) DO NOTHING`,
    );
    this.upserts = ROLLUPS.map((table) => {
      const columns = [...keyColumns(table), ...ROLLUP_COUNTERS];
      return [
        table,
        db.prepare(
          `INSERT INTO ${table.name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
           ON CONFLICT (${keyColumns(table).join(', ')}) DO UPDATE SET
           ${ROLLUP_COUNTERS.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`,
        ),
      ];
    });
  }

  /** Adds the records whose id is not stored yet; returns how many were added. Each row is used up before the next is read. */
  insert(rows: Iterable<UsageRecordValues>): number {
    const rollups = this.upserts.map(([table]) => new RollupDeltas(table));
    let added = 0;
    this.transaction(() => {
      for (const row of rows) {
        if (this.insertRecord.run(...row).changes === 0) continue;
        added++;
        for (const rollup of rollups) rollup.add(row);
      }
      this.upserts.forEach(([, upsert], index) => {
        for (const delta of rollups[index].deltas.values()) upsert.run(...delta.keys, ...delta.counters);
      });
    });
    return added;
  }

  /** Deletes records older than `before` (all without it), oldest first, a chunk per transaction. */
  purge(before?: number): number {
    if (before === undefined) return this.purgeAll();
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS purge_batch (rid INTEGER PRIMARY KEY)');
    const clear = this.db.prepare('DELETE FROM temp.purge_batch');
    const pick = this.db.prepare('INSERT INTO temp.purge_batch SELECT rowid FROM usage_records WHERE timestamp < ? ORDER BY timestamp LIMIT ?');
    const remove = this.db.prepare('DELETE FROM usage_records WHERE rowid IN (SELECT rid FROM temp.purge_batch)');
    let deleted = 0;
    for (;;) {
      let count = 0;
      this.transaction(() => {
        clear.run();
        count = Number(pick.run(before, PURGE_CHUNK).changes);
        if (count === 0) return;
        for (const table of ROLLUPS) this.subtractPurgeBatch(table);
        remove.run();
      });
      deleted += count;
      if (count < PURGE_CHUNK) return deleted;
    }
  }

  /** Takes the records listed in `temp.purge_batch` out of a rollup, dropping rows left with no requests. */
  private subtractPurgeBatch(table: RollupTable): void {
    const keys = table.keys.map(([column, source]) => `${source} AS ${column}`);
    const sums = ['count(*) AS requests', ...ROLLUP_SUM_COLUMNS.map((column) => `sum(${column}) AS ${column}`)];
    this.db
      .prepare(
        `UPDATE ${table.name} AS r SET ${ROLLUP_COUNTERS.map((column) => `${column} = r.${column} - d.${column}`).join(', ')}
         FROM (
           SELECT (timestamp / ${table.bucketMs}) * ${table.bucketMs} AS bucket, ${keys.join(', ')}, ${sums.join(', ')}
           FROM usage_records WHERE rowid IN (SELECT rid FROM temp.purge_batch)
           GROUP BY ${keyColumns(table).join(', ')}
         ) AS d
         WHERE ${keyColumns(table).map((column) => `r.${column} = d.${column}`).join(' AND ')}`,
      )
      .run();
    this.db.prepare(`DELETE FROM ${table.name} WHERE requests <= 0`).run();
  }

  private purgeAll(): number {
    let count = 0;
    this.transaction(() => {
      count = (this.db.prepare('SELECT count(*) AS count FROM usage_records').get() as { count: number }).count;
      this.db.exec(['usage_records', ...ROLLUPS.map((table) => table.name)].map((name) => `DELETE FROM ${name};`).join(' '));
    });
    return count;
  }

  private transaction(work: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
