import type { DatabaseSync } from 'node:sqlite';
import type { SqliteMigration } from './migrations/migration.ts';

export interface MigrationOutcome {
  from: number;
  to: number;
  /** The copy taken before the first step ran (none for a new, empty database). */
  backupPath?: string;
  /** Why the file could not be compacted after a step that rewrote tables (it works as it is, only larger). */
  compactionError?: string;
}

function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

/** `2025-11-27T13:15:00.123Z` → `20251127T131500Z`: sortable and safe in a file name everywhere. */
function fileStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Brings a database up to the newest schema. A database whose version is newer than the code is
 * refused (an older Switchyard must not write a schema it does not know). Before any step runs on
 * a database that already holds a schema, a complete copy is written next to it
 * (`<file>.bak-v<from>-<stamp>`), so an upgrade can always be undone. Each step runs in its own
 * immediate transaction and re-reads the version inside it, so two processes opening the same
 * file migrate it once.
 */
export function migrateDatabase(db: DatabaseSync, path: string, migrations: readonly SqliteMigration[], now = new Date()): MigrationOutcome {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration ${migration.name} has version ${migration.version}, expected ${index + 1}`);
  });
  const latest = migrations.length;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new Error(
      `${path} has schema version ${from}, newer than this Switchyard understands (${latest}); ` +
        'run a newer Switchyard, or point it at a backup of the database made for this version',
    );
  }
  if (from === latest) return { from, to: from };

  let backupPath: string | undefined;
  if (from > 0) {
    backupPath = `${path}.bak-v${from}-${fileStamp(now)}`;
    db.prepare('VACUUM INTO ?').run(backupPath);
  }
  let vacuum = false;
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    vacuum ||= migration.vacuumAfter === true;
    db.exec('BEGIN IMMEDIATE');
    try {
      if (schemaVersion(db) < migration.version) {
        migration.up(db);
        db.exec(`PRAGMA user_version = ${migration.version}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new Error(`${path}: schema migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
    }
  }
  // Outside any transaction, as VACUUM must be; a new database has nothing to compact. The
  // migration has committed by now, so a failed compaction (a full disk: it needs room for a
  // copy) leaves a working, larger file and must not keep the gateway from starting.
  let compactionError: string | undefined;
  if (vacuum && from > 0) {
    try {
      db.exec('VACUUM');
    } catch (error) {
      compactionError = (error as Error).message;
    }
  }
  return { from, to: latest, ...(backupPath ? { backupPath } : {}), ...(compactionError ? { compactionError } : {}) };
}
