import { ROLLUP_SUM_COLUMNS, ROLLUPS, type RollupTable } from '../rollup-tables.ts';
import type { SqliteMigration } from './migration.ts';

function createRollup(table: RollupTable): string {
  const keys = table.keys.map(([column]) => `${column} ${column === 'failed' ? 'INTEGER' : 'TEXT'} NOT NULL`);
  const sums = ROLLUP_SUM_COLUMNS.map((column) => `${column} ${column === 'cost_usd' ? 'REAL' : 'INTEGER'} NOT NULL`);
  return `CREATE TABLE ${table.name} (
    bucket INTEGER NOT NULL,
    ${keys.join(',\n    ')},
    requests INTEGER NOT NULL,
    ${sums.join(',\n    ')},
    PRIMARY KEY (bucket, ${table.keys.map(([column]) => column).join(', ')})
  ) WITHOUT ROWID;`;
}

/** Fills a rollup from the records already stored (a database upgraded from version 1). */
function backfillRollup(table: RollupTable): string {
  const sources = table.keys.map(([, source]) => source);
  return `INSERT INTO ${table.name}
    SELECT (timestamp / ${table.bucketMs}) * ${table.bucketMs}, ${sources.join(', ')}, count(*), ${ROLLUP_SUM_COLUMNS.map((column) => `sum(${column})`).join(', ')}
    FROM usage_records
    GROUP BY ${['1', ...sources.map((_, index) => String(index + 2))].join(', ')};`;
}

/**
 * Analytics over a million records must answer in well under 200 ms, which a scan of the raw
 * table cannot: totals and groupings read rollups (hourly and daily per dimension tuple, hourly
 * across all dimensions) that every insert and purge keeps in step in the same transaction, and
 * raw rows only for the partial hours at the edges of a range. The per-dimension indexes served
 * filtered record lists until version 3 dropped them.
 */
export const analyticsMigration: SqliteMigration = {
  version: 2,
  name: 'analytics',
  up(db) {
    db.exec(`
      CREATE INDEX usage_records_by_provider ON usage_records (provider, timestamp);
      CREATE INDEX usage_records_by_model ON usage_records (model_served, timestamp);
      CREATE INDEX usage_records_by_client_key ON usage_records (client_key_id, timestamp);
      CREATE INDEX usage_records_by_credential ON usage_records (credential_id, timestamp);
      CREATE INDEX usage_records_failures ON usage_records (timestamp) WHERE failed = 1;
      ${ROLLUPS.map(createRollup).join('\n')}
      ${ROLLUPS.map(backfillRollup).join('\n')}
    `);
  },
};
