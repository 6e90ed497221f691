// `npm run migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and exit.
import { loadConfig } from '../config.js';
import { MigrationChecksumError, openMigratedDatabase } from './migrate.js';

try {
  const { db, applied } = await openMigratedDatabase(loadConfig());
  await db.close();
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (err) {
  if (!(err instanceof MigrationChecksumError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
