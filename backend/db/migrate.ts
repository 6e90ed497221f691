// Forward-only numbered SQL migrations (NNN_name.sql). A small runner rather than a tool because
// postgres.js migration packages are unmaintained; each file runs once, in its own transaction,
// under an advisory lock so several instances starting together apply it exactly once.
//
// Applied migrations are never edited: the runner records each file's sha256 and refuses to start
// when an applied file's text has changed (a database that ran the old text would silently differ
// from one that ran the new). A change goes in a new numbered file.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { openDatabase, type Database, type Sql } from './client.js';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 7_301_001; // arbitrary, unique to this service

export interface MigrationFile {
  version: number;
  name: string;
  file: string;
  /** sha256 of the file's bytes, hex */
  checksum: string;
}

export class MigrationChecksumError extends Error {}

export function migrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const checksum = createHash('sha256').update(readFileSync(file)).digest('hex');
      return { version: Number(f.slice(0, 3)), name: f, file, checksum };
    });
}

/**
 * Applies pending migrations; returns the names applied. Throws MigrationChecksumError, before
 * applying anything, when a file already applied has changed since.
 */
export async function migrate(sql: Sql, opts: { dir?: string } = {}): Promise<string[]> {
  const files = migrationFiles(opts.dir);
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    // Added by the runner itself (it must exist before any migration runs).
    await tx`ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text`;
    const rows = await tx<{ version: number; name: string; checksum: string | null }[]>`
      SELECT version, name, checksum FROM schema_migrations`;
    const done = new Map(rows.map((r) => [r.version, r]));

    const changed = files.filter((m) => {
      const row = done.get(m.version);
      return row?.checksum != null && row.checksum !== m.checksum;
    });
    if (changed.length > 0) {
      throw new MigrationChecksumError(
        `applied migration${changed.length > 1 ? 's' : ''} changed since applied: ${changed.map((m) => m.name).join(', ')} ` +
          `(backend/db/migrations). Applied migrations are never edited: restore the file and put the change in a new numbered file.`,
      );
    }
    // First start after the upgrade that introduced checksums: record them for applied rows.
    for (const m of files) {
      const row = done.get(m.version);
      if (row && row.checksum == null) {
        await tx`UPDATE schema_migrations SET checksum = ${m.checksum} WHERE version = ${m.version}`;
      }
    }

    const applied: string[] = [];
    for (const m of files) {
      if (done.has(m.version)) continue;
      await tx.file(m.file);
      await tx`INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;
      applied.push(m.name);
    }
    return applied;
  });
}

/**
 * The start-up of every entry point: open the database (DATABASE_URL or the embedded engine) and
 * apply pending migrations. On failure (a changed applied migration: MigrationChecksumError) the
 * database is closed again before the error is thrown.
 */
export async function openMigratedDatabase(config: Parameters<typeof openDatabase>[0]): Promise<{ db: Database; applied: string[] }> {
  const db = await openDatabase(config);
  try {
    return { db, applied: await migrate(db.sql) };
  } catch (err) {
    await db.close();
    throw err;
  }
}
