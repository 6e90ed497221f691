// "Import from Stripe": starts a backfill (POST /api/sync) and follows its progress (GET /api/sync,
// polled while it runs). Used by the settings page and the first-run state of the invoice list.
import { useEffect, useState } from 'react';
import { Box, Button } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, SyncStatusResponse } from '../api/client';
import { useRequest } from '../api/hooks';
import { useAction } from '../api/use-action';
import { formatDateTime } from '../format';
import { ErrorBanner } from './states';

export function StripeImport({
  api,
  locale,
  onFinished,
  pollMs = 2000,
}: {
  api: ApiClient;
  locale: string;
  /** called when a run started here has finished (the caller re-reads its list) */
  onFinished?: () => void;
  pollMs?: number;
}) {
  const status = useRequest<SyncStatusResponse>(() => api.syncStatus(), [api]);
  const action = useAction();
  const [startedId, setStartedId] = useState<string | null>(null);
  const run = status.data;
  const running = run?.state === 'running';

  // follow a running import until it ends; the page around it re-reads once it has
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(status.reload, pollMs);
    return () => clearTimeout(timer);
  }, [running, run, pollMs, status.reload]);
  const finishedId = run && run.state !== 'never_run' && run.state !== 'running' ? run.id : null;
  useEffect(() => {
    if (finishedId && finishedId === startedId) onFinished?.();
  }, [finishedId, startedId, onFinished]);

  const start = async () => {
    const outcome = await action.run(() => api.startSync(), {
      success: 'Import from Stripe started',
      failure: 'Could not start the import',
      reload: status.reload,
    });
    if (outcome.ok) setStartedId(outcome.value.id);
  };

  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      {status.error ? (
        <ErrorBanner title="Could not load the import status" error={status.error} onRetry={status.reload} />
      ) : !run ? null : run.state === 'never_run' ? (
        <Box css={{ color: 'secondary' }}>No import has run yet.</Box>
      ) : (
        <Box>
          {run.state === 'running' ? 'Importing' : run.state === 'succeeded' ? 'Last import finished' : 'Last import failed'}:{' '}
          {run.counts.customers} customers, {run.counts.invoices} invoices; started {formatDateTime(run.started_at, locale)}
          {run.finished_at ? `, ended ${formatDateTime(run.finished_at, locale)}` : ''}
          {run.error ? ` — ${run.error}` : ''}
        </Box>
      )}
      <Box>
        <Button type="primary" pending={action.busy || running} disabled={action.busy || running} onPress={start}>
          Import from Stripe
        </Button>
      </Box>
      {action.error ? <ErrorBanner title="Could not start the import" error={action.error} /> : null}
    </Box>
  );
}
