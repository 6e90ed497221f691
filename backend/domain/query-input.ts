// Turning user input into safe query values: ids that are never cast errors, LIKE patterns that
// match the text literally.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our row ids are uuids; anything else can only be "not found". */
export const isUuid = (s: string) => UUID.test(s);

/** A case-insensitive "contains" LIKE pattern for `q`, with LIKE's wildcards escaped. */
export const containsPattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
