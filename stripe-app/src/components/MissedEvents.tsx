// Settings: "Check for missed events". The backend compares Stripe's event list with the events it
// received and applies the ones that never arrived (POST /api/reconcile, in the background; it
// also runs every hour). Shows the last run with its repaired count, and that PayPal is not
// reconciled without PayPal API credentials.
import { useEffect, useState } from 'react';
import { Box, Button } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, ReconcileRunResponse } from '../api/client';
import { useRequest } from '../api/hooks';
import { ErrorBanner } from './states';
import { formatDateTime } from '../format';

/** How often the last run is read again while it is still running. */
export const RECONCILE_POLL_MS = 1500;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function describeRun(run: ReconcileRunResponse, locale: string): string {
  if (run.state === 'running') {
    return `Checking for missed events… (started ${formatDateTime(run.started_at, locale)}, ${plural(run.events_seen, 'event', 'events')} checked so far)`;
  }
  const when = formatDateTime(run.finished_at ?? run.started_at, locale);
  if (run.state === 'failed') return `Last check failed ${when}${run.error ? ` — ${run.error}` : ''}`;
  return `Last check ${when}: ${plural(run.events_repaired, 'missed event', 'missed events')} repaired of ${plural(run.events_seen, 'event', 'events')} checked.`;
}

export function MissedEvents({ api, locale }: { api: ApiClient; locale: string }) {
  const runs = useRequest(() => api.reconcileRuns({ limit: 1 }), [api]);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const last = runs.data?.data[0];
  const running = last?.state === 'running';

  // A run goes on in the background: read it again until it has ended.
  const { reload } = runs;
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(reload, RECONCILE_POLL_MS);
    return () => clearTimeout(timer);
  }, [running, last?.heartbeat_at, reload]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const run = await api.startReconcile();
      runs.setData({ data: [run], next_cursor: null, paypal: runs.data?.paypal ?? run.paypal });
    } catch (err) {
      setError(err as Error);
    } finally {
      setStarting(false);
    }
  };

  const paypal = runs.data?.paypal;
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Box css={{ font: 'subheading' }}>Missed events</Box>
      <Box css={{ color: 'secondary' }}>
        Compares Stripe&apos;s event list (up to 30 days back) with the events received here, and applies any that never
        arrived. Runs every hour; check now after an outage.
      </Box>
      {runs.error ? (
        <ErrorBanner title="Could not load the last check" error={runs.error} onRetry={runs.reload} />
      ) : last ? (
        <Box>{describeRun(last, locale)}</Box>
      ) : runs.data ? (
        <Box css={{ color: 'secondary' }}>No check has run yet.</Box>
      ) : null}
      {paypal && !paypal.reconciled ? <Box css={{ color: 'secondary' }}>PayPal: {paypal.note ?? 'not reconciled'}.</Box> : null}
      <Box>
        <Button pending={starting} disabled={starting || running} onPress={start}>
          Check for missed events
        </Button>
      </Box>
      {error ? <ErrorBanner title="Could not start the check" error={error} /> : null}
    </Box>
  );
}
