// Turning user input into safe query values: ids that are never cast errors, LIKE patterns that
// match the text literally, dates PostgreSQL and JavaScript both hold, text without NUL.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our row ids are uuids; anything else can only be "not found". */
export const isUuid = (s: string) => UUID.test(s);

/** A case-insensitive "contains" LIKE pattern for `q`, with LIKE's wildcards escaped. */
export const containsPattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/**
 * The accepted date window for filters and cursors: 1970-01-01T00:00:00Z through
 * 9999-12-31T00:00:00Z. Outside it PostgreSQL refuses the value (year 0, the five-digit years JS
 * writes past 9999, which day arithmetic at the end of 9999-12-31 reaches) or JS cannot hold it
 * (past +275760); no billing data lives there.
 */
export const DATE_WINDOW = { min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) } as const;

export const inDateWindow = (d: Date) => {
  const t = d.getTime();
  return t >= DATE_WINDOW.min && t <= DATE_WINDOW.max;
};

/** PostgreSQL text cannot hold NUL (U+0000). */
export const hasNul = (s: string) => s.includes('\u0000');
