// Status labels and badge colours, shared by badges, DataTable status cells and the legend.
import { Badge, Box, Inline } from '@stripe/ui-extension-sdk/ui';
import type { BadgeProps } from '@stripe/ui-extension-sdk/ui';
import type { EventResponse, InvoiceResponse } from '../api/client';

type Tone = NonNullable<BadgeProps['type']>;

export const STATUS: Record<string, { label: string; tone: Tone; meaning: string }> = {
  draft: { label: 'Draft', tone: 'neutral', meaning: 'not finalized yet' },
  open: { label: 'Open', tone: 'info', meaning: 'awaiting payment, not yet due' },
  past_due: { label: 'Past due', tone: 'warning', meaning: 'open after its due date (plus grace days)' },
  failed: { label: 'Failed', tone: 'negative', meaning: 'payment was attempted but did not go through; retry it from the list or the invoice' },
  paid: { label: 'Paid', tone: 'positive', meaning: 'paid in full' },
  uncollectible: { label: 'Uncollectible', tone: 'urgent', meaning: 'written off; can still be paid or voided' },
  void: { label: 'Void', tone: 'neutral', meaning: 'cancelled' },
  processed: { label: 'Processed', tone: 'positive', meaning: 'event applied to the ledger' },
  ignored: { label: 'Ignored', tone: 'neutral', meaning: 'event stored, type not used by the ledger' },
  event_failed: { label: 'Failed', tone: 'negative', meaning: 'event processing failed; it can be replayed' },
};

/** The invoice states in the order the legend explains them (seed page 003's lifecycle). */
export const INVOICE_STATES = ['draft', 'open', 'past_due', 'failed', 'paid', 'uncollectible', 'void'] as const satisfies readonly InvoiceResponse['state'][];
export const EVENT_STATUSES = ['processed', 'ignored', 'event_failed'] as const;

/** The one badge of an invoice: the backend's `state` (failed wins over past due, past due over open). */
export const invoiceStatusKey = (inv: Pick<InvoiceResponse, 'state'>) => inv.state;

export const eventStatusKey = (e: Pick<EventResponse, 'processed' | 'ignored' | 'error'>) =>
  e.error || !e.processed ? 'event_failed' : e.ignored ? 'ignored' : 'processed';

export const statusLabel = (key: string) => STATUS[key]?.label ?? key;

/** statusMap for DataTable `status` cells, keyed by the label shown. */
export const STATUS_MAP: Record<string, Tone> = Object.fromEntries(
  Object.values(STATUS).map((s) => [s.label, s.tone]),
);

export function StatusBadge({ status }: { status: string }) {
  return <Badge type={STATUS[status]?.tone ?? 'neutral'}>{statusLabel(status)}</Badge>;
}

export function StatusLegend({ statuses }: { statuses: readonly string[] }) {
  return (
    <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', font: 'caption' }}>
      {statuses.map((s) => (
        <Box key={s} css={{ stack: 'x', gap: 'xsmall', alignY: 'center' }}>
          <StatusBadge status={s} />
          <Inline css={{ color: 'secondary' }}>{STATUS[s].meaning}</Inline>
        </Box>
      ))}
    </Box>
  );
}
