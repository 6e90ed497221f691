// What a stored event may hold. A signed body can still carry what PostgreSQL refuses (a lone
// surrogate in jsonb, an index row over ~2.7 kB) or what our own code cannot walk (deep nesting):
// such an event is refused as invalid input before any SQL, never as a 5xx the sender retries.
import { invalid } from './errors.js';

/** Gateway objects are shallow (the deepest real Stripe/PayPal fixture is 11 levels). */
export const MAX_EVENT_DEPTH = 64;
/** Event ids, types, object and customer ids: far above any real one, far below an index row. */
export const MAX_ID_LENGTH = 255;

// With the u flag a surrogate pair is one code point, so only an unpaired half matches.
const LONE_SURROGATE = /\p{Cs}/u;
const hasLoneSurrogate = (s: string) => LONE_SURROGATE.test(s);

/**
 * Walks the parsed payload iteratively (a 1 MB body can nest ~500,000 levels: recursion would
 * overflow) and throws `invalid` on nesting beyond MAX_EVENT_DEPTH or a lone surrogate in any key
 * or string. NUL stays the database's to refuse (events.ts maps that error).
 */
export function checkStorablePayload(payload: unknown): void {
  const stack: [unknown, number][] = [[payload, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (hasLoneSurrogate(value)) throw invalid('the event contains a lone surrogate (invalid Unicode); nothing was stored');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_EVENT_DEPTH) throw invalid(`the event nests deeper than ${MAX_EVENT_DEPTH} levels; nothing was stored`);
    const entries = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      if (hasLoneSurrogate(key)) throw invalid('the event contains a lone surrogate (invalid Unicode); nothing was stored');
      stack.push([child, depth + 1]);
    }
  }
}

/** Ids and type of an event: strings of at most MAX_ID_LENGTH characters, well-formed. */
export function checkEventIds(fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) continue;
    if (typeof value !== 'string') throw invalid(`the event's ${name} is not a string; nothing was stored`);
    if (value.length > MAX_ID_LENGTH) throw invalid(`the event's ${name} is longer than ${MAX_ID_LENGTH} characters; nothing was stored`);
    if (hasLoneSurrogate(value)) throw invalid(`the event's ${name} contains a lone surrogate; nothing was stored`);
  }
}
