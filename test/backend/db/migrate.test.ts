// The migration runner: checksums of applied files, refusal to start when one changed, and
// migration 009 bringing a database that applied the first text of 006/008 to the same indexes.
import { cpSync, mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sql } from '../../../backend/db/client.js';
import { migrate, MigrationChecksumError, migrationFiles, MIGRATIONS_DIR } from '../../../backend/db/migrate.js';
import { APP_SECRET } from '../../support/app-harness.js';
import { freshDatabase, type FreshDatabase } from '../../support/fresh-database.js';
import { runServiceToExit } from '../../support/service-process.js';

const FIRST_TEXT = path.join(import.meta.dirname, 'fixtures/first-committed-migrations');

const dirs: string[] = [];
const dbs: FreshDatabase[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A copy of the migrations folder, optionally only up to `upTo` (a version). */
function migrationsCopy(upTo = Infinity): string {
  const dir = tempDir('tb-migrations-');
  for (const m of migrationFiles()) if (m.version <= upTo) cpSync(m.file, path.join(dir, m.name));
  return dir;
}

async function fresh(opts: { dataDir?: string } = {}) {
  const db = await freshDatabase(opts);
  dbs.push(db);
  return db;
}

const indexes = async (sql: Sql) =>
  (
    await sql<{ tablename: string; indexname: string; indexdef: string }[]>`
      SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`
  ).map((r) => `${r.indexname}: ${r.indexdef}`);

describe('migrate', () => {
  it('records a sha256 checksum of every applied file', async () => {
    const db = await fresh();
    const applied = await migrate(db.sql);
    expect(applied).toEqual(migrationFiles().map((m) => m.name));
    const rows = await db.sql<{ name: string; checksum: string }[]>`SELECT name, checksum FROM schema_migrations ORDER BY version`;
    expect(rows).toEqual(migrationFiles().map((m) => ({ name: m.name, checksum: m.checksum })));
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(await migrate(db.sql)).toEqual([]);
  });

  it('refuses to run when an applied file changed, naming it, and applies nothing', async () => {
    const db = await fresh();
    const dir = migrationsCopy(5);
    await migrate(db.sql, { dir });
    appendFileSync(path.join(dir, '002_stripe.sql'), '\n-- edited after it was applied\n');
    cpSync(path.join(MIGRATIONS_DIR, '006_past_due.sql'), path.join(dir, '006_past_due.sql'));
    const run = migrate(db.sql, { dir });
    await expect(run).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(migrate(db.sql, { dir })).rejects.toThrow(/002_stripe\.sql.*never edited/);
    const versions = (await db.sql<{ version: number }[]>`SELECT version FROM schema_migrations`).map((r) => r.version);
    expect(versions).not.toContain(6);
  });

  it('records checksums for rows applied before checksums existed (first start after the upgrade)', async () => {
    const db = await fresh();
    await migrate(db.sql);
    // What the runner before checksums left: no checksum column at all.
    await db.sql`ALTER TABLE schema_migrations DROP COLUMN checksum`;
    expect(await migrate(db.sql)).toEqual([]);
    const rows = await db.sql<{ name: string; checksum: string }[]>`SELECT name, checksum FROM schema_migrations ORDER BY version`;
    expect(rows).toEqual(migrationFiles().map((m) => ({ name: m.name, checksum: m.checksum })));
  });

  it('009 gives a database that applied the first text of 006 and 008 the same indexes as one that applied the final text', async () => {
    const finalText = await fresh();
    await migrate(finalText.sql);

    const firstText = await fresh();
    const dir = migrationsCopy(8);
    cpSync(path.join(FIRST_TEXT, '006_past_due.sql'), path.join(dir, '006_past_due.sql'));
    cpSync(path.join(FIRST_TEXT, '008_perf.sql'), path.join(dir, '008_perf.sql'));
    await migrate(firstText.sql, { dir });
    await firstText.sql`ALTER TABLE schema_migrations DROP COLUMN checksum`; // applied by the old runner
    const before = await indexes(firstText.sql);
    expect(before.some((i) => i.startsWith('invoices_due_not_past_due:'))).toBe(false);
    expect(before.some((i) => i.startsWith('invoices_past_due_aging:'))).toBe(false);

    const applied = await migrate(firstText.sql);
    expect(applied[0]).toBe('009_edited_migrations.sql');
    expect(await indexes(firstText.sql)).toEqual(await indexes(finalText.sql));
  });
});

describe('start-up', () => {
  it('stops with an error naming the file when an applied migration changed', async () => {
    const dataDir = tempDir('tb-data-');
    const db = await fresh({ dataDir });
    await migrate(db.sql);
    // The database applied a different text of 006 than the file now says.
    await db.sql`UPDATE schema_migrations SET checksum = ${'0'.repeat(64)} WHERE version = 6`;
    const target: Record<string, string> = db.engine === 'embedded' ? { DATA_DIR: dataDir } : { DATABASE_URL: db.url };
    if (db.engine === 'embedded') {
      dbs.splice(dbs.indexOf(db), 1);
      await db.drop(); // the service opens the same folder
    }
    const { code, output } = await runServiceToExit({ STRIPE_APP_SECRET: APP_SECRET, ...target });
    expect(code).toBe(1);
    expect(output).toContain('006_past_due.sql');
    expect(output).toMatch(/never edited/);
    expect(output).not.toContain('"msg":"listening"');
  }, 60_000);
});
