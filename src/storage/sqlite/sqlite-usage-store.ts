import { mkdirSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { UsageRecord } from '../../usage/usage-record.ts';
import type { UsageRecordBatch } from '../../usage/usage-record-batch.ts';
import type { UsageGroupBy, UsageQuery, UsageStore, UsageTotals } from '../usage-store.ts';
import { migrateDatabase, type MigrationOutcome } from './migrate-database.ts';
import { SQLITE_MIGRATIONS } from './migrations/index.ts';
import { planUsageSegments, type UsageSegment } from './plan-usage-segments.ts';
import { ROLLUP_DAY_MS, ROLLUP_HOUR_MS, HOURLY_ALL_ROLLUP, ROLLUP_SUM_COLUMNS } from './rollup-tables.ts';
import { usageRecordFromRow, type UsageRecordRow } from './usage-record-row.ts';
import { UsageWriterThread } from './usage-writer-thread.ts';

const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 10_000;

type Source = UsageSegment['source'] | typeof HOURLY_ALL_ROLLUP.name;
type Dimension = 'provider' | 'model' | 'clientKeyId' | 'credentialId';

const DIMENSIONS: readonly Dimension[] = ['provider', 'model', 'clientKeyId', 'credentialId'];
/** Dimension columns in usage_records and in the rollups (which name the served model `model`). */
const DIMENSION_COLUMNS: Record<Dimension, { raw: string; rollup: string }> = {
  provider: { raw: 'provider', rollup: 'provider' },
  model: { raw: 'model_served', rollup: 'model' },
  clientKeyId: { raw: 'client_key_id', rollup: 'client_key_id' },
  credentialId: { raw: 'credential_id', rollup: 'credential_id' },
};

const dimensionColumn = (dimension: Dimension, source: Source) => DIMENSION_COLUMNS[dimension][source === 'usage_records' ? 'raw' : 'rollup'];

function groupExpression(by: UsageGroupBy, source: Source): string {
  switch (by) {
    case 'hour':
      return source === 'usage_records' ? `(timestamp / ${ROLLUP_HOUR_MS}) * ${ROLLUP_HOUR_MS}` : 'bucket';
    case 'day':
      return source === 'usage_daily' ? 'bucket' : `(${source === 'usage_records' ? 'timestamp' : 'bucket'} / ${ROLLUP_DAY_MS}) * ${ROLLUP_DAY_MS}`;
    default:
      return dimensionColumn(by, source);
  }
}

/**
 * The table a planned segment reads: the hourly rollup across all dimensions when nothing needs
 * a dimension (no dimension filter, no grouping by one).
 */
function sourceFor(segment: UsageSegment, query: UsageQuery, by?: UsageGroupBy): Source {
  if (segment.source !== 'usage_hourly') return segment.source;
  const needsDimension = DIMENSIONS.some((dimension) => query[dimension] !== undefined || by === dimension);
  return needsDimension ? segment.source : HOURLY_ALL_ROLLUP.name;
}

function sumsOf(source: Source): string {
  const sums = ROLLUP_SUM_COLUMNS.map((column) => `sum(${column}) AS ${column}`).join(', ');
  return source === 'usage_records'
    ? `count(*) AS requests, sum(failed) AS failures, ${sums}`
    : `sum(requests) AS requests, sum(failed * requests) AS failures, ${sums}`;
}

interface TotalsRow {
  requests: number;
  failures: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
}

function emptyUsageTotals(): UsageTotals {
  return { requests: 0, failures: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0 };
}

function addRow(into: UsageTotals, row: TotalsRow): void {
  into.requests += row.requests ?? 0;
  into.failures += row.failures ?? 0;
  into.inputTokens += row.input_tokens ?? 0;
  into.outputTokens += row.output_tokens ?? 0;
  into.cachedInputTokens += row.cached_input_tokens ?? 0;
  into.cacheWriteTokens += row.cache_write_tokens ?? 0;
  into.reasoningTokens += row.reasoning_tokens ?? 0;
  into.costUsd += row.cost_usd ?? 0;
}

function formatBucket(by: 'hour' | 'day', bucket: number): string {
  const iso = new Date(bucket).toISOString();
  return by === 'day' ? iso.slice(0, 10) : iso.slice(0, 13);
}

export interface SqliteUsageStoreOptions {
  /** How long a connection waits for another one's write lock, ms. */
  busyTimeoutMs?: number;
}

/**
 * Usage records in an embedded SQLite file (WAL, synchronous=NORMAL: a crash may lose the last
 * commits but never corrupts the file). Writes go to a writer thread with its own connection;
 * reads run here, synchronously, so each is kept small and index-bound: totals and groupings read
 * the hourly and daily rollups that every write keeps in step, and raw records only for the
 * partial hours at the edges of a range.
 */
export class SqliteUsageStore implements UsageStore {
  readonly path: string;
  readonly migration: MigrationOutcome;
  private readonly db: DatabaseSync;
  private readonly writer: UsageWriterThread;
  private readonly statements = new Map<string, StatementSync>();
  private closed = false;

  private constructor(db: DatabaseSync, path: string, migration: MigrationOutcome, busyTimeoutMs: number) {
    this.db = db;
    this.path = path;
    this.migration = migration;
    this.writer = new UsageWriterThread(path, busyTimeoutMs);
  }

  /**
   * Opens the database file (creating it and its directory when missing) and migrates it; throws
   * when its schema is newer than this code.
   */
  static open(path: string, options: SqliteUsageStoreOptions = {}): SqliteUsageStore {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
    mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
    try {
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
      const migration = migrateDatabase(db, path, SQLITE_MIGRATIONS);
      return new SqliteUsageStore(db, path, migration, busyTimeoutMs);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** One transaction per batch, on the writer thread: the caller's event loop never waits on disk. */
  async insert(records: UsageRecordBatch): Promise<number> {
    if (this.closed) throw new Error('the usage store is closed');
    if (records.length === 0) return 0;
    return this.writer.insert(records);
  }

  async list(query: UsageQuery): Promise<UsageRecord[]> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_LIST_LIMIT), 1), MAX_LIST_LIMIT);
    if (!DIMENSIONS.some((dimension) => query[dimension] !== undefined)) return this.listRecords(query, query.from, query.to, limit);
    // The raw table has only a time index: the hourly rollup says which hours hold a match, and
    // only those hours are read, newest first, until the page is full; one hour per turn of the
    // event loop, so a long list never stalls the requests being served.
    const to = query.before ? Math.min(query.before.timestamp + 1, query.to ?? Number.POSITIVE_INFINITY) : query.to;
    const { where, params } = whereClause('usage_hourly', query, query.from === undefined ? undefined : Math.floor(query.from / ROLLUP_HOUR_MS) * ROLLUP_HOUR_MS, to);
    const hours = this.statement(`SELECT DISTINCT bucket FROM usage_hourly WHERE ${where.join(' AND ')} ORDER BY bucket DESC`).all(...params) as unknown as Array<{ bucket: number }>;
    const records: UsageRecord[] = [];
    for (const { bucket } of hours) {
      const from = query.from === undefined ? bucket : Math.max(bucket, query.from);
      const end = Math.min(bucket + ROLLUP_HOUR_MS, query.to ?? Number.POSITIVE_INFINITY);
      records.push(...this.listRecords(query, from, end, limit - records.length));
      if (records.length >= limit) break;
      await nextTurn();
    }
    return records;
  }

  /** Raw records in [from, to) matching the query, newest first, read through the time index. */
  private listRecords(query: UsageQuery, from: number | undefined, to: number | undefined, limit: number): UsageRecord[] {
    const { where, params } = whereClause('usage_records', query, from, Number.isFinite(to) ? to : undefined);
    if (query.before) {
      where.push('(timestamp, id) < (?, ?)');
      params.push(query.before.timestamp, query.before.id);
    }
    const sql = `SELECT * FROM usage_records ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY timestamp DESC, id DESC LIMIT ?`;
    const rows = this.statement(sql).all(...params, limit) as unknown as UsageRecordRow[];
    return rows.map(usageRecordFromRow);
  }

  async get(id: string): Promise<UsageRecord | undefined> {
    const row = this.statement('SELECT * FROM usage_records WHERE id = ?').get(id) as UsageRecordRow | undefined;
    return row ? usageRecordFromRow(row) : undefined;
  }

  async totals(query: UsageQuery): Promise<UsageTotals> {
    const totals = emptyUsageTotals();
    for (const segment of planUsageSegments(query.from, query.to, true)) {
      const source = sourceFor(segment, query);
      const { where, params } = whereClause(source, query, segment.from, segment.to);
      const sql = `SELECT ${sumsOf(source)} FROM ${source} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
      addRow(totals, this.statement(sql).get(...params) as unknown as TotalsRow);
    }
    return totals;
  }

  async grouped(query: UsageQuery, by: UsageGroupBy): Promise<Array<{ key: string } & UsageTotals>> {
    const byTime = by === 'hour' || by === 'day';
    const groups = new Map<string | number, UsageTotals>();
    for (const segment of planUsageSegments(query.from, query.to, by !== 'hour')) {
      const source = sourceFor(segment, query, by);
      const { where, params } = whereClause(source, query, segment.from, segment.to);
      const sql = `SELECT ${groupExpression(by, source)} AS key, ${sumsOf(source)} FROM ${source}
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY 1`;
      for (const row of this.statement(sql).all(...params) as unknown as Array<TotalsRow & { key: string | number }>) {
        let totals = groups.get(row.key);
        if (!totals) {
          totals = emptyUsageTotals();
          groups.set(row.key, totals);
        }
        addRow(totals, row);
      }
    }
    const result = [...groups].map(([key, totals]) => ({ key: byTime ? formatBucket(by, key as number) : String(key), ...totals }));
    return byTime
      ? result.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      : result.sort((a, b) => b.requests - a.requests || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async purge(before?: number): Promise<number> {
    if (this.closed) throw new Error('the usage store is closed');
    return this.writer.purge(before === undefined ? undefined : Math.trunc(before));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.close();
    this.db.exec('PRAGMA optimize');
    this.db.close();
  }
}

function whereClause(source: Source, query: UsageQuery, from: number | undefined, to: number | undefined): { where: string[]; params: SQLInputValue[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const time = source === 'usage_records' ? 'timestamp' : 'bucket';
  if (from !== undefined) {
    where.push(`${time} >= ?`);
    params.push(from);
  }
  if (to !== undefined) {
    where.push(`${time} < ?`);
    params.push(to);
  }
  for (const dimension of DIMENSIONS) {
    const value = query[dimension];
    if (value === undefined) continue;
    where.push(`${dimensionColumn(dimension, source)} = ?`);
    params.push(value);
  }
  // A literal, not a parameter: only then can the planner use the partial index of failures.
  if (query.failed !== undefined) where.push(query.failed ? 'failed = 1' : 'failed = 0');
  return { where, params };
}
