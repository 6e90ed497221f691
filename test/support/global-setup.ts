// One database for the whole run: TEST_DATABASE_URL (real PostgreSQL) when set, else embedded
// PGlite served on a loopback socket. Migrated once; each test then makes its own account.
import type { TestProject } from 'vitest/node';
import { connectUrl, startEmbedded, type Database } from '../../backend/db/client.js';
import { migrate } from '../../backend/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseEngine: 'postgres' | 'embedded';
  }
}

let db: Database | undefined;

export async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  db = url ? connectUrl(url, 2) : await startEmbedded('memory://', 2, 64);
  await migrate(db.sql);
  project.provide('databaseUrl', db.url);
  project.provide('databaseEngine', db.engine);
}

export async function teardown() {
  await db?.close();
}
