import { usageRecordsMigration } from './001-usage-records.ts';
import { analyticsMigration } from './002-analytics.ts';
import { leanRecordIndexesMigration } from './003-lean-record-indexes.ts';
import { internedDimensionsMigration } from './004-interned-dimensions.ts';
import type { SqliteMigration } from './migration.ts';

/** Every schema step, in order; the last one's version is the schema this code reads and writes. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  usageRecordsMigration,
  analyticsMigration,
  leanRecordIndexesMigration,
  internedDimensionsMigration,
];
