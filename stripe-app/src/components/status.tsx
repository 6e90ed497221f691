// Status labels and badge colours, shared by badges, DataTable status cells and the legend.
import { Badge, Box, Inline } from '@stripe/ui-extension-sdk/ui';
import type { BadgeProps } from '@stripe/ui-extension-sdk/ui';
import type { EventResponse, InvoiceResponse } from '../api/client';

type Tone = NonNullable<BadgeProps['type']>;

export const STATUS: Record<string, { label: string; tone: Tone; meaning: string }> = {
  draft: { label: 'Draft', tone: 'neutral', meaning: 'not finalized yet' },
  open: { label: 'Open', tone: 'info', meaning: 'awaiting payment, not yet due' },
  past_due: { label: 'Past due', tone: 'warning', meaning: 'open after its due date (plus grace days) or its payment failed' },
  paid: { label: 'Paid', tone: 'positive', meaning: 'paid in full' },
  uncollectible: { label: 'Uncollectible', tone: 'urgent', meaning: 'written off; can still be paid or voided' },
  void: { label: 'Void', tone: 'neutral', meaning: 'cancelled' },
  processed: { label: 'Processed', tone: 'positive', meaning: 'event applied to the ledger' },
  ignored: { label: 'Ignored', tone: 'neutral', meaning: 'event stored, type not used by the ledger' },
  failed: { label: 'Failed', tone: 'negative', meaning: 'event processing failed; it can be replayed' },
  pending: { label: 'Pending', tone: 'info', meaning: 'event stored, being applied (or retried after an error)' },
};

/** The status an admin sees: an open invoice that is past due shows as past_due. */
export const invoiceStatusKey = (inv: Pick<InvoiceResponse, 'status' | 'past_due'>) =>
  inv.status === 'open' && inv.past_due ? 'past_due' : inv.status;

/** The event's state as the backend reports it (a backend before `state` existed: derived as it was). */
export const eventStatusKey = (e: Pick<EventResponse, 'processed' | 'ignored' | 'error'> & { state?: string }) =>
  e.state ?? (e.error || !e.processed ? 'failed' : e.ignored ? 'ignored' : 'processed');

export const statusLabel = (key: string) => STATUS[key]?.label ?? key;

/** statusMap for DataTable `status` cells, keyed by the label shown. */
export const STATUS_MAP: Record<string, Tone> = Object.fromEntries(
  Object.values(STATUS).map((s) => [s.label, s.tone]),
);

export function StatusBadge({ status }: { status: string }) {
  return <Badge type={STATUS[status]?.tone ?? 'neutral'}>{statusLabel(status)}</Badge>;
}

/** `meanings` overrides a key's explanation where one label means two things (an invoice's Failed vs an event's). */
export function StatusLegend({ statuses, meanings = {} }: { statuses: string[]; meanings?: Record<string, string> }) {
  return (
    <Box css={{ stack: 'x', gap: 'medium', wrap: 'wrap', font: 'caption' }}>
      {statuses.map((s) => (
        <Box key={s} css={{ stack: 'x', gap: 'xsmall', alignY: 'center' }}>
          <StatusBadge status={s} />
          <Inline css={{ color: 'secondary' }}>{meanings[s] ?? STATUS[s].meaning}</Inline>
        </Box>
      ))}
    </Box>
  );
}
