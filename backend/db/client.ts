// One postgres.js client for both engines: a real PostgreSQL (DATABASE_URL), or embedded PGlite
// kept in DATA_DIR and served on a loopback socket so the very same SQL and driver run on it.
import { mkdirSync } from 'node:fs';
import postgres from 'postgres';
import { keepSequencesTogether } from './embedded-socket.js';

// postgres.js spells "no custom column types" as {} (Record<string, never> does not type-check with it)
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoCustomTypes = {};
export type Sql = postgres.Sql<NoCustomTypes>;
export type Tx = postgres.TransactionSql<NoCustomTypes>;
/** A client or an open transaction: query functions accept either. */
export type Db = Sql | Tx;

export interface Database {
  sql: Sql;
  engine: 'postgres' | 'embedded';
  url: string;
  close(): Promise<void>;
}

const options = (max: number): postgres.Options<NoCustomTypes> => ({
  max,
  onnotice: () => {},
  // int8 (money, counts) as JS numbers: amounts in minor units stay far below 2^53.
  types: {
    bigint: {
      to: 20,
      from: [20],
      serialize: (x: number | bigint) => String(x),
      parse: (x: string) => Number(x),
    },
  },
  connection: { application_name: 'tenant-billing' },
  // While the database is unreachable, a queued query waits for its connection's next attempt:
  // postgres.js's default backoff grows to 20 s, so webhooks hung instead of answering 503. Capped
  // at 1 s, each request fails fast (503) and the pool reconnects within a second of recovery.
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
});

export function connectUrl(url: string, max = 20): Database {
  const sql = postgres(url, options(max));
  return { sql, engine: 'postgres', url, close: () => sql.end({ timeout: 5 }) };
}

/** Starts PGlite in `dataDir` behind a loopback socket and connects postgres.js to it. */
export async function startEmbedded(dataDir: string, max = 8, socketConnections = max + 2): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: socketConnections });
  keepSequencesTogether(server);
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  const sql = postgres(url, options(max));
  return {
    sql,
    engine: 'embedded',
    url,
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
      await db.close();
    },
  };
}

export function openDatabase(config: { DATABASE_URL?: string; DATA_DIR: string }): Promise<Database> {
  return config.DATABASE_URL
    ? Promise.resolve(connectUrl(config.DATABASE_URL))
    : startEmbedded(config.DATA_DIR);
}
