import type { SqliteMigration } from './migration.ts';

/**
 * The raw attempt records, one row per UsageRecord. No index on request_id: a record id is
 * `<request id>:<attempt>`, so the primary key already finds a request's attempts by prefix.
 */
export const usageRecordsMigration: SqliteMigration = {
  version: 1,
  name: 'usage-records',
  up(db) {
    db.exec(`
      CREATE TABLE usage_records (
        id TEXT NOT NULL PRIMARY KEY,
        request_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        timestamp INTEGER NOT NULL,
        client_key_id TEXT NOT NULL,
        client_key_label TEXT NOT NULL,
        provider TEXT NOT NULL,
        credential_id TEXT NOT NULL,
        auth_index TEXT NOT NULL,
        auth_type TEXT NOT NULL,
        model_requested TEXT NOT NULL,
        model_served TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        client_dialect TEXT NOT NULL,
        upstream_dialect TEXT NOT NULL,
        stream INTEGER NOT NULL,
        status INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        error_code TEXT,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        estimated INTEGER NOT NULL,
        latency_ms INTEGER NOT NULL,
        ttft_ms INTEGER,
        cost_usd REAL NOT NULL,
        subscription INTEGER NOT NULL
      );
      CREATE INDEX usage_records_by_time ON usage_records (timestamp);
    `);
  },
};
