// Bulk actions on invoices: choose the invoices (checked on the list's current page, or every
// invoice matching the list's filters, at most 100), the action, then a dry run shows what would
// happen to each (would apply, or refused with the reason); Confirm applies to those that would,
// with one Idempotency-Key for the confirmed request (a resent confirm acts once), and shows each
// invoice's result. The list and cards re-read after the apply (useAction's reload).
// The SDK's DataTable has no row selection, so the choice is a list of checkboxes here.
import { useState } from 'react';
import { Banner, Box, Button, Checkbox, Radio, Select, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@stripe/ui-extension-sdk/ui';
import { newIdempotencyKey, type ApiClient, type BulkActionResponse, type InvoiceAction, type InvoiceFilters } from '../api/client';
import type { Invoice } from '../api/invoice-types';
import { useAction } from '../api/use-action';
import { formatMoney, invoiceLabel } from '../format';
import { ErrorBanner } from './states';

export const BULK_LIMIT = 100;
type Result = BulkActionResponse['data'][number];

export const BULK_ACTIONS: { action: InvoiceAction; label: string; verb: string }[] = [
  { action: 'retry', label: 'Retry payment', verb: 'Retry' },
  { action: 'void', label: 'Void', verb: 'Void' },
  { action: 'mark-uncollectible', label: 'Mark uncollectible', verb: 'Mark uncollectible' },
  { action: 'send-reminder', label: 'Send reminder', verb: 'Send a reminder for' },
];

const OUTCOME_LABELS: Record<Result['outcome'], string> = {
  would_apply: 'Would apply',
  applied: 'Applied',
  refused: 'Refused',
  failed: 'Failed',
};

const plural = (n: number) => `${n} ${n === 1 ? 'invoice' : 'invoices'}`;

/** The ids the "all matching" choice acts on: the list's filters, first 100; `more` when there were more. */
async function matchingIds(api: ApiClient, filters: InvoiceFilters): Promise<{ ids: string[]; more: boolean }> {
  const page = await api.listInvoices({ ...filters, limit: BULK_LIMIT });
  return { ids: page.data.map((i) => i.id), more: page.next_cursor !== null };
}

function ResultTable({ results, locale }: { results: Result[]; locale: string }) {
  return (
    <Table>
      <TableHead>
        <TableRow>
          <TableHeaderCell>Invoice</TableHeaderCell>
          <TableHeaderCell>Tenant</TableHeaderCell>
          <TableHeaderCell>Result</TableHeaderCell>
          <TableHeaderCell>Reason</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {results.map((r) => (
          <TableRow key={r.invoice_id}>
            <TableCell>{r.invoice ? invoiceLabel(r.invoice, locale) : (r.number ?? r.invoice_id)}</TableCell>
            <TableCell>{r.invoice?.tenant?.name ?? '—'}</TableCell>
            <TableCell>{OUTCOME_LABELS[r.outcome]}</TableCell>
            <TableCell>{r.reason ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

type Step =
  | { kind: 'choose' }
  | { kind: 'preview'; results: Result[]; more: boolean; key: string }
  | { kind: 'done'; results: Result[] };

export function BulkActions({
  api,
  locale,
  items,
  filters,
  onDone,
}: {
  api: ApiClient;
  locale: string;
  /** the invoices on the list's current page, offered as checkboxes */
  items: Invoice[];
  /** the list's filters, for "all that match" */
  filters: InvoiceFilters;
  /** the apply changed the ledger: re-read the list and cards */
  onDone: () => void;
}) {
  const [action, setAction] = useState<InvoiceAction>('void');
  const [scope, setScope] = useState<'selected' | 'matching'>('selected');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const run = useAction();
  const chosen = BULK_ACTIONS.find((a) => a.action === action)!;

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const changed = (fn: () => void) => {
    fn();
    setStep({ kind: 'choose' }); // a new choice needs a new dry run
  };

  const preview = async () => {
    const outcome = await run.run(
      async () => {
        const { ids, more } =
          scope === 'matching' ? await matchingIds(api, filters) : { ids: items.filter((i) => selected.has(i.id)).map((i) => i.id), more: false };
        if (ids.length === 0) return { results: [] as Result[], more };
        const answer = await api.bulkInvoiceAction({ action, invoice_ids: ids, dry_run: true });
        return { results: answer.data, more };
      },
      {
        success: (p) => `${p.results.filter((r) => r.outcome === 'would_apply').length} of ${p.results.length} would apply`,
        failure: 'Could not check the invoices',
      },
    );
    // one key for the request the admin confirms: pressing Confirm again resends it, never acts twice
    if (outcome.ok) setStep({ kind: 'preview', ...outcome.value, key: newIdempotencyKey() });
  };

  const confirm = async () => {
    if (step.kind !== 'preview') return;
    const ids = step.results.filter((r) => r.outcome === 'would_apply').map((r) => r.invoice_id);
    const outcome = await run.run(() => api.bulkInvoiceAction({ action, invoice_ids: ids, dry_run: false }, step.key), {
      success: (r) => `${r.data.filter((x) => x.outcome === 'applied').length} of ${r.data.length} applied`,
      successType: (r) => (r.data.every((x) => x.outcome === 'applied') ? 'success' : 'caution'),
      failure: `Could not ${chosen.label.toLowerCase()}`,
      reload: onDone,
    });
    if (outcome.ok) setStep({ kind: 'done', results: outcome.value.data });
  };

  const willApply = step.kind === 'preview' ? step.results.filter((r) => r.outcome === 'would_apply').length : 0;

  return (
    <Box css={{ stack: 'y', gap: 'large' }}>
      {run.error ? <ErrorBanner title="The bulk action did not run" error={run.error} /> : null}
      <Select label="Action" value={action} onChange={(e) => changed(() => setAction(e.target.value as InvoiceAction))}>
        {BULK_ACTIONS.map((a) => (
          <option key={a.action} value={a.action}>
            {a.label}
          </option>
        ))}
      </Select>
      <Box css={{ stack: 'y', gap: 'small' }}>
        <Radio
          name="bulk-scope"
          label={`Invoices checked below (${selected.size})`}
          checked={scope === 'selected'}
          onChange={() => changed(() => setScope('selected'))}
        />
        <Radio
          name="bulk-scope"
          label={`All invoices that match the list's filters (at most ${BULK_LIMIT})`}
          checked={scope === 'matching'}
          onChange={() => changed(() => setScope('matching'))}
        />
      </Box>
      {scope === 'selected' ? (
        <Box css={{ stack: 'y', gap: 'xsmall' }}>
          {items.length === 0 ? <Box css={{ color: 'secondary' }}>No invoices on this page.</Box> : null}
          {items.map((inv) => (
            <Checkbox
              key={inv.id}
              label={`${invoiceLabel(inv, locale)} · ${inv.tenant?.name ?? 'Unassigned'} · ${formatMoney(inv.total, inv.currency, locale)}`}
              checked={selected.has(inv.id)}
              onChange={(e) => changed(() => toggle(inv.id, e.target.checked))}
            />
          ))}
        </Box>
      ) : null}
      {step.kind === 'choose' ? (
        <Button
          type="primary"
          disabled={run.busy || (scope === 'selected' && selected.size === 0)}
          pending={run.busy}
          onPress={preview}
        >
          Preview
        </Button>
      ) : null}
      {step.kind === 'preview' ? (
        <Box css={{ stack: 'y', gap: 'medium' }}>
          <Box css={{ font: 'subheading' }}>
            Dry run: {chosen.label.toLowerCase()} would apply to {plural(willApply)}
            {step.results.length > willApply ? `, ${step.results.length - willApply} refused` : ''}
          </Box>
          {step.more ? (
            <Banner type="caution" title={`Only the first ${BULK_LIMIT} matching invoices`} description="Narrow the filters to act on the rest." />
          ) : null}
          {step.results.length === 0 ? <Box css={{ color: 'secondary' }}>No invoices match.</Box> : <ResultTable results={step.results} locale={locale} />}
          <Box css={{ stack: 'x', gap: 'small' }}>
            <Button type={action === 'void' ? 'destructive' : 'primary'} disabled={run.busy || willApply === 0} pending={run.busy} onPress={confirm}>
              {`Confirm: ${chosen.verb.toLowerCase()} ${plural(willApply)}`}
            </Button>
            <Button disabled={run.busy} onPress={() => setStep({ kind: 'choose' })}>
              Back
            </Button>
          </Box>
        </Box>
      ) : null}
      {step.kind === 'done' ? (
        <Box css={{ stack: 'y', gap: 'medium' }}>
          <Box css={{ font: 'subheading' }}>
            Result: {step.results.filter((r) => r.outcome === 'applied').length} of {plural(step.results.length)} applied
          </Box>
          <ResultTable results={step.results} locale={locale} />
          <Button
            onPress={() => {
              setSelected(new Set());
              setStep({ kind: 'choose' });
            }}
          >
            Start another
          </Button>
        </Box>
      ) : null}
    </Box>
  );
}
