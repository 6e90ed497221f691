// PayPal lines on GET /api/invoices/:id: invoice items (quantity × unit amount) and tax; a sale as
// one subscription (or item) line.
import { startCertServer, type CertServer } from '../../../support/paypal/cert-server.js';
import { invoiceEvent, paypalHarness, saleEvent, type PaypalHarness } from '../../../support/paypal/paypal-harness.js';

let certs: CertServer;
beforeAll(async () => {
  certs = await startCertServer();
});
afterAll(() => certs.close());

async function linesOf(h: PaypalHarness, externalId: string) {
  const row = await h.invoice(externalId);
  const res = await h.api('GET', `/api/invoices/${row!.id}`);
  expect(res.status).toBe(200);
  return (await res.json()).lines;
}

describe('PayPal invoice lines', () => {
  it('lists an invoice’s items and its tax in minor units, replaced by a newer update', async () => {
    const h = await paypalHarness(certs);
    const base = { id: 'INV2-LINE-0001', currency: 'EUR', total: '120.00', tax: '19.16', at: '2026-03-15T10:00:00Z' };
    const items = [
      { name: 'Consulting hours', quantity: '3', unit: '10.00' },
      { name: 'Setup', quantity: '1', unit: '70.84' },
    ];
    expect((await h.post(invoiceEvent('SENT', { ...base, status: 'SENT', items }))).status).toBe(200);
    expect(await linesOf(h, base.id)).toEqual([
      { description: 'Consulting hours', quantity: 3, amount: 3000, currency: 'eur', period_start: null, period_end: null, kind: 'item' },
      { description: 'Setup', quantity: 1, amount: 7084, currency: 'eur', period_start: null, period_end: null, kind: 'item' },
      { description: 'Tax', quantity: null, amount: 1916, currency: 'eur', period_start: null, period_end: null, kind: 'tax' },
    ]);
    const later = { ...base, status: 'PAID', at: '2026-03-20T10:00:00Z', items: [{ name: 'Everything', quantity: '1', unit: '100.84' }] };
    expect((await h.post(invoiceEvent('PAID', later))).status).toBe(200);
    expect((await linesOf(h, base.id)).map((l: { description: string }) => l.description)).toEqual(['Everything', 'Tax']);
  });

  it('shows a subscription sale as one subscription line, in the currency’s own decimals', async () => {
    const h = await paypalHarness(certs);
    const res = await h.post(saleEvent('COMPLETED', { id: 'SALE-LINES-1', subscription: 'I-LINESUB0001', total: '1500', currency: 'JPY', at: '2026-03-15T10:00:00Z' }));
    expect(res.status).toBe(200);
    expect(await linesOf(h, 'SALE-LINES-1')).toEqual([
      { description: 'Subscription I-LINESUB0001', quantity: 1, amount: 1500, currency: 'jpy', period_start: null, period_end: null, kind: 'subscription' },
    ]);
  });
});
