import type { DatabaseSync } from 'node:sqlite';

/**
 * One step of the schema. `up` runs inside the migration's transaction, so a failing step leaves
 * the database at the version before it. Steps only add: no step may drop or rewrite user data.
 */
export interface SqliteMigration {
  version: number;
  name: string;
  up(db: DatabaseSync): void;
}
