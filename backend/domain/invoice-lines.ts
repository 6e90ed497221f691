// Invoice line items, gateway-neutral. Gateways map their payload to InvoiceLine[] and replace
// the stored set when a newer source of the invoice applies; a list the payload cut short
// (Stripe's lines.has_more) is marked so the full list can be fetched on first detail read.
import { createHash } from 'node:crypto';
import type { Db, Sql } from '../db/client.js';
import type { Scope } from './accounts.js';

export const LINE_KINDS = ['subscription', 'usage', 'fixed', 'adjustment', 'tax', 'item'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export interface InvoiceLine {
  description: string | null;
  quantity: number | null;
  /** minor units; negative for credits and discounts */
  amount: number;
  currency: string;
  period_start: Date | null;
  period_end: Date | null;
  kind: LineKind;
}

/** A line and where it came from: the gateway's line list, or invoice-level figures. */
export interface StoredLine extends InvoiceLine {
  origin: 'line' | 'invoice';
}

export interface LineSet {
  lines: StoredLine[];
  /** the stored line list is incomplete (the payload was truncated) */
  has_more: boolean;
  version: number;
}

/** Replaces the invoice's lines (in the caller's transaction). */
export async function replaceInvoiceLines(
  tx: Db,
  scope: Scope,
  invoiceId: string,
  lines: StoredLine[],
  hasMore: boolean,
): Promise<void> {
  await replaceManyInvoiceLines(tx, scope, [{ invoiceId, lines, hasMore }]);
}

/** The rows of invoice_lines for these lines of an invoice, in order. */
const lineRows = (invoiceId: string, lines: StoredLine[]) =>
  lines.map((l, position) => ({
    invoice_id: invoiceId,
    position,
    origin: l.origin,
    kind: l.kind,
    description: l.description,
    quantity: l.quantity,
    amount: l.amount,
    currency: l.currency,
    period_start: l.period_start,
    period_end: l.period_end,
  }));

/** Inserts line rows of any number of invoices in one statement. */
async function insertLines(tx: Db, scope: Scope, rows: ReturnType<typeof lineRows>) {
  if (rows.length === 0) return;
  await tx`
    INSERT INTO invoice_lines (account_id, livemode, invoice_id, position, origin, kind, description, quantity, amount,
                               currency, period_start, period_end)
    SELECT ${scope.accountId}, ${scope.livemode}, l.invoice_id, l.position, l.origin, l.kind, l.description, l.quantity,
      l.amount, l.currency, l.period_start, l.period_end
    FROM jsonb_to_recordset(${tx.json(rows as never)}) AS l (
      invoice_id uuid, position integer, origin text, kind text, description text, quantity bigint, amount bigint,
      currency text, period_start timestamptz, period_end timestamptz)`;
}

/**
 * Stores a completed line list (fetched through the gateway's API) in place of a truncated one,
 * keeping the invoice-level lines; only if the set is still the version it was read at (a newer
 * event may have replaced it meanwhile). Returns whether it was stored.
 */
export async function completeInvoiceLines(
  sql: Sql,
  scope: Scope,
  invoiceId: string,
  readVersion: number,
  fullLines: InvoiceLine[],
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [set] = await tx<{ version: number }[]>`
      UPDATE invoice_line_sets SET has_more = false, version = version + 1, updated_at = now()
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND invoice_id = ${invoiceId}
        AND version = ${readVersion} AND has_more
      RETURNING version`;
    if (!set) return false;
    const invoiceLevel = (await invoiceLines(tx, scope, invoiceId)).lines.filter((l) => l.origin === 'invoice');
    await tx`DELETE FROM invoice_lines
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND invoice_id = ${invoiceId}`;
    await insertLines(tx, scope, lineRows(invoiceId, [...fullLines.map((l) => ({ ...l, origin: 'line' as const })), ...invoiceLevel]));
    return true;
  });
}

/** The invoice's stored lines in order, and whether the list is incomplete. */
export async function invoiceLines(db: Db, scope: Scope, invoiceId: string): Promise<LineSet> {
  const [set] = await db<{ has_more: boolean; version: number }[]>`
    SELECT has_more, version FROM invoice_line_sets
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND invoice_id = ${invoiceId}`;
  if (!set) return { lines: [], has_more: false, version: 0 };
  const lines = await db<StoredLine[]>`
    SELECT origin, kind, description, quantity, amount, currency, period_start, period_end FROM invoice_lines
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND invoice_id = ${invoiceId}
    ORDER BY position`;
  return { lines: [...lines], has_more: set.has_more, version: set.version };
}

/** The lines as GET /api/invoices/:id shows them. */
export const publicLines = (set: LineSet): InvoiceLine[] =>
  set.lines.map(({ description, quantity, amount, currency, period_start, period_end, kind }) => ({
    description,
    quantity,
    amount,
    currency,
    period_start,
    period_end,
    kind,
  }));

/** The digest of a line list as a payload gave it: equal lists, equal digests. */
const linesDigest = (lines: StoredLine[], hasMore: boolean) =>
  createHash('sha256').update(JSON.stringify([hasMore, lineRows('', lines)])).digest('base64url');

/**
 * Replaces the lines of many invoices of a batch: three statements however many there are. A set
 * whose list is the one it was stored from (same digest) is left as it is, rows and version: an
 * event that repeats an invoice's lines neither rewrites them nor undoes a list completed since.
 */
export async function replaceManyInvoiceLines(
  tx: Db,
  scope: Scope,
  sets: { invoiceId: string; lines: StoredLine[]; hasMore: boolean }[],
): Promise<void> {
  if (sets.length === 0) return;
  const sorted = [...sets].sort((a, b) => (a.invoiceId < b.invoiceId ? -1 : 1));
  const rows = sorted.map((s) => ({ invoice_id: s.invoiceId, has_more: s.hasMore, digest: linesDigest(s.lines, s.hasMore) }));
  const changed = await tx<{ invoice_id: string }[]>`
    INSERT INTO invoice_line_sets AS d (account_id, livemode, invoice_id, has_more, digest)
    SELECT ${scope.accountId}, ${scope.livemode}, s.invoice_id, s.has_more, s.digest
    FROM jsonb_to_recordset(${tx.json(rows)}) AS s (invoice_id uuid, has_more boolean, digest text)
    ORDER BY s.invoice_id
    ON CONFLICT (account_id, livemode, invoice_id) DO UPDATE SET
      has_more = EXCLUDED.has_more, digest = EXCLUDED.digest, version = d.version + 1, updated_at = now()
    WHERE d.digest IS DISTINCT FROM EXCLUDED.digest
    RETURNING d.invoice_id`;
  if (changed.length === 0) return;
  // The ids as an array parameter: a DELETE joined to the statement above was planned, in some
  // sessions, as a scan of every line (585 us a set against 34, in pg_stat_statements at 1M invoices).
  const ids = changed.map((r) => r.invoice_id);
  await tx`DELETE FROM invoice_lines
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND invoice_id = ANY(${ids}::uuid[])`;
  const kept = new Set(ids);
  await insertLines(tx, scope, sorted.filter((s) => kept.has(s.invoiceId)).flatMap((s) => lineRows(s.invoiceId, s.lines)));
}
