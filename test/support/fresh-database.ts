// A new, empty database on the test engine, for tests that need to run migrations from scratch:
// a CREATE DATABASE beside TEST_DATABASE_URL's, or a fresh embedded PGlite (in memory, or in a
// folder the service can then open).
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectUrl, startEmbedded, type Database } from '../../backend/db/client.js';
import { engine, testSql } from './app-harness.js';

export interface FreshDatabase extends Database {
  /** removes the database (postgres) / closes it (embedded) */
  drop(): Promise<void>;
}

export async function freshDatabase(opts: { dataDir?: string } = {}): Promise<FreshDatabase> {
  if (engine() === 'embedded') {
    const db = await startEmbedded(opts.dataDir ?? 'memory://', 2, 4);
    return { ...db, drop: () => db.close() };
  }
  const name = `tb_fresh_${randomBytes(5).toString('hex')}`;
  const admin = testSql();
  await admin`CREATE DATABASE ${admin(name)}`;
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  const db = connectUrl(url.toString(), 2);
  return {
    ...db,
    async drop() {
      await db.close();
      await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`;
    },
  };
}
