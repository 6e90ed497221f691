// One database for the whole run: TEST_DATABASE_URL (real PostgreSQL) when set, else embedded
// PGlite served on a loopback socket. Migrated once; each test then makes its own account. Also
// the service bundle `npm start` runs (backend/build.ts), built once for the tests that start it.
import type { TestProject } from 'vitest/node';
import { buildService } from '../../backend/build.js';
import { connectUrl, startEmbedded, type Database } from '../../backend/db/client.js';
import { migrate } from '../../backend/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseEngine: 'postgres' | 'embedded';
    /** dist/main.js of a build for this run (test/support/service-process.ts) */
    serviceBundle: string;
  }
}

let db: Database | undefined;

export async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  db = url ? connectUrl(url, 2) : await startEmbedded('memory://', 2, 64);
  await migrate(db.sql);
  project.provide('databaseUrl', db.url);
  project.provide('databaseEngine', db.engine);
  project.provide('serviceBundle', await buildService({ outdir: 'test/artifacts/service' }));
}

export async function teardown() {
  await db?.close();
}
