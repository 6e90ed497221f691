// "Export CSV" on a list tab: asks the backend for a short-lived link to the list with the tab's
// current filters, then offers it as a link that opens in a new tab. The Dashboard's frame cannot
// download files (stripe/stripe-apps#751) and a sandboxed UI extension has no window.open, so the
// browser tab the admin opens from the SDK's Link (external, target _blank) does the download.
import { useState } from 'react';
import { Box, Button, Link } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, ExportLinkResponse, ExportRequest } from '../api/client';
import { useAction } from '../api/use-action';
import { formatDateTime } from '../format';
import { ErrorBanner } from './states';

type Filters = Record<string, string | number | boolean | null | undefined>;

/** The list's filters as the export's strings; empty ones left out (the list's own query would omit them too). */
export function exportFilters(filters: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== '') out[key] = String(value);
  }
  return out;
}

export function ExportButton({
  api,
  kind,
  filters,
  locale,
}: {
  api: ApiClient;
  kind: ExportRequest['kind'];
  filters: Filters;
  locale: string;
}) {
  const action = useAction();
  const [link, setLink] = useState<(ExportLinkResponse & { key: string }) | null>(null);
  const key = JSON.stringify(exportFilters(filters));
  // a link made for other filters would export the wrong rows: offer it only while they hold
  const current = link && link.key === key ? link : null;

  const create = async () => {
    const outcome = await action.run(() => api.createExport({ kind, filters: exportFilters(filters) }), {
      success: 'CSV link ready',
      failure: 'Could not export',
    });
    if (outcome.ok) setLink({ ...outcome.value, key });
  };

  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Box css={{ stack: 'x', gap: 'medium', alignY: 'center', wrap: 'wrap' }}>
        <Button size="small" disabled={action.busy} pending={action.busy} onPress={create}>
          Export CSV
        </Button>
        {current ? (
          <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
            <Link href={current.url} target="_blank" external>
              Open CSV
            </Link>
            <Box css={{ font: 'caption', color: 'secondary' }}>valid until {formatDateTime(current.expires_at, locale)}</Box>
          </Box>
        ) : null}
      </Box>
      {action.error ? <ErrorBanner title="Could not export" error={action.error} /> : null}
    </Box>
  );
}
