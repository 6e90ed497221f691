// The applier: applies stored (pending) events to the ledger in batches, in every instance. It
// wakes on a nudge from this process's webhook routes, on NOTIFY from another instance's (where
// the engine delivers it: PostgreSQL; the embedded engine's socket does not), and on a short poll
// as the fallback on both engines. Instances coordinate only through the database (SKIP LOCKED).
// A nudge is announced to the other instances by one NOTIFY per ANNOUNCE_MS at most, sent on its
// own: PostgreSQL serializes the commits of notifying transactions (a lock held through the WAL
// flush), so a NOTIFY inside each webhook's insert made every webhook wait for the others' commits.
import type { Logger } from 'pino';
import type { Sql } from '../db/client.js';
import { EVENTS_CHANNEL, vacuumQueue } from '../domain/event-inbox.js';
import { applyPendingBatch, type BatchResult } from '../gateways/apply-batch.js';

export interface ApplierDeps {
  sql: Sql;
  logger: Logger;
  now: () => Date;
}

export interface ApplierOptions {
  /** events per batch; default 1,000 */
  batchSize?: number;
  /** poll interval (ms) when nothing woke the applier; default 250 */
  pollMs?: number;
  /** LISTEN for other instances' events and announce this one's (PostgreSQL only); default false */
  listen?: boolean;
  /** concurrent loops in this process; default 1 */
  loops?: number;
  /** only these accounts' events (tests sharing one database) */
  accountIds?: string[];
}

export interface Applier {
  /** this process stored an event: apply soon (and tell the other instances) */
  nudge(): void;
  /** stops the loops and waits for a running batch to commit */
  stop(): Promise<void>;
}

/**
 * Events per batch at most (fewer when fewer are pending). Each statement of a batch has a cost
 * of its own beside its rows': applying 6,000 stored invoice events on the bench database ran at
 * about 1,650/s in batches of 200, 2,100/s in batches of 500 and 2,500/s in batches of 1,000.
 * Under a 60 s webhook load on the seeded bench database (2 cores), batches of 500 fell behind the
 * acknowledgements and left 12-14k events waiting at the end (read-after-ack p99 8.6-8.7 s);
 * batches of 1,000 left 2.0-2.3k (p99 1.8-4.3 s) and acknowledged as many; batches of 2,000 left
 * 1.1k but acknowledged 8% fewer. At 1,380 events/s a batch of 1,000 is about 0.7 s of applying.
 */
const DEFAULT_BATCH = 1000;
/** Other instances hear of this one's stored events within this delay, by one NOTIFY. */
const ANNOUNCE_MS = 20;
/**
 * The queue is vacuumed after this many claimed events: every search for work walks the dead
 * entries the applied events left (vacuumQueue says why); at 2,000 events/s, every 2.5 s.
 */
const VACUUM_EVERY = 5_000;
/** After a database error: wait before the next attempt (the batch rolled back whole). */
const ERROR_PAUSE_MS = 1_000;

/**
 * Applies pending events (of these accounts, if given) until none is due or every account with
 * some is being applied by another applier; returns how many this one claimed.
 */
export async function drainPending(
  deps: ApplierDeps,
  opts: { accountIds?: string[]; batchSize?: number } = {},
): Promise<{ claimed: number; failed: number }> {
  const total = { claimed: 0, failed: 0 };
  for (;;) {
    const r: BatchResult = await applyPendingBatch(deps.sql, {
      limit: opts.batchSize ?? DEFAULT_BATCH,
      now: deps.now(),
      accountIds: opts.accountIds,
    });
    total.claimed += r.claimed;
    total.failed += r.failed;
    if (r.claimed === 0) return total;
  }
}

export function startApplier(deps: ApplierDeps, opts: ApplierOptions = {}): Applier {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const pollMs = opts.pollMs ?? 250;
  let stopped = false;
  let nudged = false;
  let claimedSinceVacuum = 0;
  let vacuuming: Promise<void> | null = null;
  // In the background, one at a time: a VACUUM waits for each index page's concurrent readers, and
  // under a webhook load one took up to 5 s; the batches go on meanwhile.
  const vacuumWhenDue = (claimed: number) => {
    claimedSinceVacuum += claimed;
    if (claimedSinceVacuum < VACUUM_EVERY || vacuuming) return;
    claimedSinceVacuum = 0;
    vacuuming = vacuumQueue(deps.sql)
      .catch((err) => deps.logger.warn({ err: (err as Error).message }, 'vacuum of the event queue failed'))
      .finally(() => (vacuuming = null));
  };
  // each sleeping loop's wake-up, and whether a nudge may cut its sleep short (stop always does)
  const sleepers = new Map<() => void, boolean>();
  const wakeAll = (nudge: boolean) => {
    for (const [wake, nudgeable] of [...sleepers]) if (nudgeable || !nudge) wake();
  };
  const sleep = (ms: number, nudgeable = true) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.set(done, nudgeable);
    });

  const loop = async () => {
    while (!stopped) {
      nudged = false;
      try {
        const r = await applyPendingBatch(deps.sql, {
          limit: batchSize,
          now: deps.now(),
          accountIds: opts.accountIds,
        });
        if (r.failed) deps.logger.warn({ failed: r.failed, claimed: r.claimed }, 'events failed to apply; retried with backoff');
        vacuumWhenDue(r.claimed);
        // A full batch: more is likely waiting.
        if (r.claimed >= batchSize) continue;
        // Another loop holds the account: its next batch takes what arrives, so this loop waits a
        // poll interval whatever wakes it. (Woken per webhook, it searched the pending events
        // about once per webhook: 9.6 s of PostgreSQL's time in a 20 s load on the bench.)
        if (r.busy) {
          if (!stopped) await sleep(pollMs, false);
          continue;
        }
      } catch (err) {
        deps.logger.error({ err: (err as Error).message }, 'event batch aborted; retrying');
        if (!stopped) await sleep(ERROR_PAUSE_MS);
        continue;
      }
      if (!nudged && !stopped) await sleep(pollMs);
    }
  };

  let announcement: NodeJS.Timeout | null = null;
  const announce = () => {
    if (!opts.listen || announcement || stopped) return;
    announcement = setTimeout(() => {
      announcement = null;
      deps.sql.notify(EVENTS_CHANNEL, '').catch((err) => deps.logger.warn({ err: (err as Error).message }, 'NOTIFY failed; other instances poll'));
    }, ANNOUNCE_MS);
  };
  const wake = () => {
    nudged = true;
    wakeAll(true);
  };

  let unlisten: (() => Promise<void>) | null = null;
  if (opts.listen) {
    deps.sql
      .listen(EVENTS_CHANNEL, wake)
      .then((l) => {
        unlisten = l.unlisten;
        if (stopped) void l.unlisten();
      })
      .catch((err) => deps.logger.warn({ err: (err as Error).message }, 'LISTEN unavailable; polling'));
  }

  const loops = Array.from({ length: Math.max(1, opts.loops ?? 1) }, () => loop());
  const applier: Applier = {
    nudge() {
      wake();
      announce();
    },
    async stop() {
      stopped = true;
      if (announcement) clearTimeout(announcement);
      wakeAll(false);
      await Promise.allSettled([...loops, vacuuming]);
      await (unlisten as (() => Promise<void>) | null)?.().catch(() => {});
    },
  };
  return applier;
}
