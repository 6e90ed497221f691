// Opaque keyset cursors: base64url of the sort key of the last row of a page.
export class InvalidCursorError extends Error {}

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
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof t !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(t))) throw new Error();
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error();
    return { t, id };
  } catch {
    throw new InvalidCursorError('cursor is not valid');
  }
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
