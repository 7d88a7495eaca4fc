import type { SqliteMigration } from './migration.ts';

/**
 * Every index on the raw table is paid by every recorded request, on the gateway's busiest path
 * (measured: the four per-dimension indexes were about half of the writer's insert cost). Lists
 * filtered by a dimension now find their hours in the hourly rollup first and read raw rows only
 * in hours known to hold a match, through the time index, so these indexes buy nothing any more.
 */
export const leanRecordIndexesMigration: SqliteMigration = {
  version: 3,
  name: 'lean-record-indexes',
  up(db) {
    db.exec(`
      DROP INDEX usage_records_by_provider;
      DROP INDEX usage_records_by_model;
      DROP INDEX usage_records_by_client_key;
      DROP INDEX usage_records_by_credential;
    `);
  },
};
