// An invoice's line items (seed page 002: usage, fixed fees, adjustments, tax), each with its
// billing period and quantity, and the invoice's total beneath them.
import { Box, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@stripe/ui-extension-sdk/ui';
import type { InvoiceLine, LineKind } from '../api/invoice-types';
import { formatMoney, formatPeriod } from '../format';

export const LINE_KIND_LABEL: Record<LineKind, string> = {
  subscription: 'Subscription',
  usage: 'Usage',
  fixed: 'Fixed fee',
  adjustment: 'Adjustment',
  tax: 'Tax',
  item: 'Item',
};

export function InvoiceLines({
  lines,
  total,
  currency,
  locale,
}: {
  lines: InvoiceLine[];
  total: number;
  currency: string;
  locale: string;
}) {
  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Box css={{ font: 'subheading' }}>Line items</Box>
      {lines.length === 0 ? (
        <Box css={{ color: 'secondary' }}>This invoice has no line items recorded.</Box>
      ) : (
        <Table>
          <TableHead>
            <TableRow>
              <TableHeaderCell>Item</TableHeaderCell>
              <TableHeaderCell>Qty</TableHeaderCell>
              <TableHeaderCell>Amount</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((line, i) => (
              <TableRow key={i}>
                <TableCell wrap>
                  <Box css={{ stack: 'y' }}>
                    <Box>{line.description || LINE_KIND_LABEL[line.kind] || 'Item'}</Box>
                    <Box css={{ font: 'caption', color: 'secondary' }}>
                      {LINE_KIND_LABEL[line.kind] ?? line.kind}
                      {line.period_start || line.period_end ? ` · ${formatPeriod(line.period_start, line.period_end, locale)}` : ''}
                    </Box>
                  </Box>
                </TableCell>
                <TableCell>{line.quantity ?? '—'}</TableCell>
                <TableCell>{formatMoney(line.amount, line.currency, locale)}</TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell>
                <Box css={{ font: 'bodyEmphasized' }}>Total</Box>
              </TableCell>
              <TableCell>{''}</TableCell>
              <TableCell>
                <Box css={{ font: 'bodyEmphasized' }}>{formatMoney(total, currency, locale)}</Box>
              </TableCell>
            </TableRow>
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
