// Database faults every layer needs to recognise: an unreachable database aborts a webhook delivery
// (no 2xx, the sender retries) and renders 503.

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/** True for errors that mean the database cannot be reached (the sender should retry). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; errno?: string; errors?: unknown[] } | undefined;
  if (!e) return false;
  if (UNAVAILABLE_CODES.has(String(e.code ?? e.errno))) return true;
  // Node's AggregateError (IPv4 + IPv6 connection attempts) wraps the real causes.
  return Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable);
}

/** unique_violation: a row with the same key exists (or was inserted concurrently). */
export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';
