// Opaque keyset cursors: base64url of the sort key of the last row of a page.
import type postgres from 'postgres';
import type { Db } from '../db/client.js';
import { inDateWindow, isUuid } from './query-input.js';

export class InvalidCursorError extends Error {}

/** What encodeCursor writes: Date#toISOString of a four-digit year. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface CursorKey {
  /** ISO timestamp of the sort column */
  t: string;
  /** row id: the deterministic tie-break */
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.t, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorKey | null {
  if (cursor === undefined || cursor === '') return null;
  // A cursor comes back from the client: it is checked as strictly as any other input, so a
  // crafted one is a 400 here rather than a cast error in SQL.
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not valid');
  }
  if (!Array.isArray(key) || key.length !== 2) throw new InvalidCursorError('cursor is not valid');
  const [t, id] = key as unknown[];
  if (typeof t !== 'string' || typeof id !== 'string' || !isUuid(id)) throw new InvalidCursorError('cursor is not valid');
  const at = new Date(t);
  if (!ISO_INSTANT.test(t) || Number.isNaN(at.getTime()) || !inDateWindow(at)) throw new InvalidCursorError('cursor is not valid');
  return { t: at.toISOString(), id };
}

/** Given limit+1 rows, returns the page and the cursor of the next one. */
export function page<T extends { id: string }>(
  rows: T[],
  limit: number,
  sortTime: (row: T) => Date,
): { data: T[]; next_cursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  const next_cursor =
    rows.length > limit && last ? encodeCursor({ t: sortTime(last).toISOString(), id: last.id }) : null;
  return { data, next_cursor };
}

export interface NewestFirstQuery {
  /** the select list, over `alias` and whatever `joins` adds */
  columns: postgres.Fragment;
  table: 'invoices' | 'payment_events';
  alias: 'i' | 'e';
  /** the sort column (with id as the tie-break), newest first */
  time: 'created_at' | 'occurred_at';
  /** the conditions on the table (scope and filters) */
  where: postgres.Fragment;
  joins: postgres.Fragment;
  limit: number;
  cursor?: string;
  /**
   * Find the page's keys first, then read its rows: where an index covers the filter, the walk
   * past the rows it skips is an index-only scan (the past-due list skips the newest open
   * invoices, not yet due, by due date).
   */
  keysFirst?: boolean;
}

/**
 * One page of a list, newest first. The page is cut from the table alone, then joined: joined
 * first, the planner may hash-join every row of the account before sorting (measured on events:
 * 250 ms instead of 1 ms at 150k rows).
 */
export async function newestFirstPage<R extends { id: string }>(
  db: Db,
  q: NewestFirstQuery,
  sortTime: (row: R) => Date,
): Promise<{ data: R[]; next_cursor: string | null }> {
  const after = decodeCursor(q.cursor);
  const sort = db`${db(q.alias)}.${db(q.time)}`;
  const key = db`${db(q.alias)}.id`;
  const table = db`${db(q.table)} ${db(q.alias)}`;
  const cut = (select: postgres.Fragment) => db`
    SELECT ${select} FROM ${table}
    WHERE ${q.where}
      ${after ? db`AND (${sort}, ${key}) < (${after.t}::timestamptz, ${after.id}::uuid)` : db``}
    ORDER BY ${sort} DESC, ${key} DESC
    LIMIT ${q.limit + 1}`;
  const alias = db(q.alias);
  const rows = await db<R[]>`
    SELECT ${q.columns}
    FROM (
      ${q.keysFirst
        ? db`SELECT ${alias}.* FROM (${cut(db`${alias}.account_id, ${key}`)}) k
          JOIN ${table} ON ${alias}.account_id = k.account_id AND ${key} = k.id`
        : cut(db`*`)}
    ) ${alias} ${q.joins}
    ORDER BY ${sort} DESC, ${key} DESC`;
  return page(rows, q.limit, sortTime);
}
