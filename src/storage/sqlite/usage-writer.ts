import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { UsageRecord } from '../../usage/usage-record.ts';
import { ROLLUP_SUM_COLUMNS, ROLLUPS, rollupSums, type RollupTable } from './rollup-tables.ts';
import { USAGE_RECORD_COLUMNS, usageRecordValues } from './usage-record-row.ts';

/** Rows deleted per purge transaction, so inserts queued behind a purge wait milliseconds, not seconds. */
const PURGE_CHUNK = 5_000;

const ROLLUP_COUNTERS = ['requests', ...ROLLUP_SUM_COLUMNS];
const keyColumns = (table: RollupTable) => ['bucket', ...table.keys.map(([column]) => column)];

/** One rollup row's worth of an insert batch. */
interface RollupDelta {
  keys: SQLInputValue[];
  counters: number[];
}

function addToDeltas(deltas: Map<string, RollupDelta>, table: RollupTable, record: UsageRecord, sums: number[]): void {
  const keys: SQLInputValue[] = [Math.floor(record.timestamp / table.bucketMs) * table.bucketMs];
  for (const [, , value] of table.keys) keys.push(value(record));
  const id = keys.join('\u0000');
  let delta = deltas.get(id);
  if (!delta) {
    delta = { keys, counters: [0, 0, 0, 0, 0, 0, 0] };
    deltas.set(id, delta);
  }
  delta.counters[0] += 1;
  for (let index = 0; index < sums.length; index++) delta.counters[index + 1] += sums[index];
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

  /** Adds the records whose id is not stored yet; returns how many were added. */
  insert(records: readonly UsageRecord[]): number {
    const deltas = this.upserts.map(() => new Map<string, RollupDelta>());
    let added = 0;
    this.transaction(() => {
      for (const record of records) {
        if (this.insertRecord.run(...usageRecordValues(record)).changes === 0) continue;
        added++;
        const sums = rollupSums(record);
        this.upserts.forEach(([table], index) => addToDeltas(deltas[index], table, record, sums));
      }
      this.upserts.forEach(([, upsert], index) => {
        for (const delta of deltas[index].values()) upsert.run(...delta.keys, ...delta.counters);
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
