import type { DatabaseSync } from 'node:sqlite';

/**
 * One step of the schema. `up` runs inside the migration's transaction, so a failing step leaves
 * the database at the version before it. No step may lose user data: a step that moves records
 * to a new shape copies every one of them before it drops the old table.
 */
export interface SqliteMigration {
  version: number;
  name: string;
  up(db: DatabaseSync): void;
  /** The step rewrote whole tables: the file is compacted once every step has run, not left holding the old pages as free space. */
  vacuumAfter?: boolean;
}
