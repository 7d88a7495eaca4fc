import { DatabaseSync } from 'node:sqlite';

/**
 * The schema the first released version (user_version 1) left: the records table alone, no
 * rollups. Written by hand, not by today's migration code, so the upgrade is tested for real.
 */
const VERSION_1_SCHEMA = `
  PRAGMA journal_mode = WAL;
  CREATE TABLE usage_records (
    id TEXT NOT NULL PRIMARY KEY, request_id TEXT NOT NULL, attempt INTEGER NOT NULL, timestamp INTEGER NOT NULL,
    client_key_id TEXT NOT NULL, client_key_label TEXT NOT NULL, provider TEXT NOT NULL, credential_id TEXT NOT NULL,
    auth_index TEXT NOT NULL, auth_type TEXT NOT NULL, model_requested TEXT NOT NULL, model_served TEXT NOT NULL,
    endpoint TEXT NOT NULL, client_dialect TEXT NOT NULL, upstream_dialect TEXT NOT NULL, stream INTEGER NOT NULL,
    status INTEGER NOT NULL, failed INTEGER NOT NULL, error_code TEXT, input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL, cached_input_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL, estimated INTEGER NOT NULL, latency_ms INTEGER NOT NULL, ttft_ms INTEGER,
    cost_usd REAL NOT NULL, subscription INTEGER NOT NULL
  );
  CREATE INDEX usage_records_by_time ON usage_records (timestamp);
`;

/** Writes a version 1 database holding the given rows (`INSERT … VALUES` tuples, in column order). */
export function writeVersion1Database(file: string, valuesSql: string): void {
  const db = new DatabaseSync(file);
  db.exec(`${VERSION_1_SCHEMA}
    INSERT INTO usage_records VALUES ${valuesSql};
    PRAGMA user_version = 1;`);
  db.close();
}
