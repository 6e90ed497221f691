// `npm run migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and exit.
import { loadConfig } from '../config.js';
import { openDatabase } from './client.js';
import { migrate, MigrationChecksumError } from './migrate.js';

const config = loadConfig();
const db = await openDatabase(config);
try {
  const applied = await migrate(db.sql);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (err) {
  if (!(err instanceof MigrationChecksumError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await db.close();
}
