// Scheduled work: the daily past-due scan on PAST_DUE_SCHEDULE (cron, UTC), a catch-up scan at
// start when the last one is more than a day old, and a frequent pass that sends notifications
// whose retry time has come (backoff retries must not wait for the next daily scan).
import { Cron } from 'croner';
import { deliverPendingNotifications } from '../gateways/notify/deliver.js';
import { deliverPendingDigests } from '../gateways/notify/deliver-digests.js';
import { lastDailyScanAsOf, runPastDueScan, type ScanDeps, type ScanOutcome } from './past-due-scan.js';

const DAY_MS = 86_400_000;

export interface SchedulerOptions {
  /** cron expression, read in UTC */
  schedule: string;
  /** how often pending retries are sent (ms); default one minute */
  retryIntervalMs?: number;
}

export interface Scheduler {
  /** the catch-up decision and run started at start-up (null: the last scan was recent) */
  catchUp: Promise<ScanOutcome | null>;
  /** next scheduled scan */
  nextRun(): Date | null;
  /** stops the timers and waits for a running scan or delivery pass to finish */
  stop(): Promise<void>;
}

export function startScheduler(deps: ScanDeps, opts: SchedulerOptions): Scheduler {
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    p.finally(() => running.delete(p)).catch(() => {});
    return p;
  };
  const scan = () =>
    track(
      runPastDueScan(deps).catch((err) => {
        deps.logger.error({ err }, 'past-due scan failed');
        throw err;
      }),
    );

  let cron: Cron;
  try {
    cron = new Cron(opts.schedule, { timezone: 'UTC', protect: true, name: 'past-due-scan' }, async () => {
      // A failed run is logged above and retried by the next tick (or the next start's catch-up).
      await scan().catch(() => {});
    });
  } catch (err) {
    throw new Error(`PAST_DUE_SCHEDULE is not a valid cron expression: ${(err as Error).message}`);
  }

  let delivering = false;
  const retries = setInterval(() => {
    if (delivering || stopped) return;
    delivering = true;
    const now = deps.now();
    const retry = async () => {
      await deliverPendingNotifications({ ...deps, timeoutMs: deps.deliveryTimeoutMs }, now, null);
      await deliverPendingDigests({ ...deps, timeoutMs: deps.deliveryTimeoutMs }, now, null);
    };
    track(retry())
      .catch((err) => deps.logger.error({ err }, 'notification retry pass failed'))
      .finally(() => (delivering = false));
  }, opts.retryIntervalMs ?? 60_000);
  retries.unref();

  const catchUp = track(
    (async () => {
      const last = await lastDailyScanAsOf(deps.sql);
      const now = deps.now();
      if (last && now.getTime() - last.getTime() <= DAY_MS) return null;
      deps.logger.info({ last_scan: last?.toISOString() ?? null }, 'past-due catch-up scan');
      if (stopped) return null;
      return scan();
    })(),
  );
  catchUp.catch((err) => deps.logger.error({ err }, 'past-due catch-up failed'));

  return {
    catchUp,
    nextRun: () => cron.nextRun(),
    async stop() {
      stopped = true;
      cron.stop();
      clearInterval(retries);
      await Promise.allSettled([...running]);
    },
  };
}
