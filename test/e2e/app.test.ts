// End to end in a real browser: the app's real views in the preview host, over the real backend
// filled with the demo through its webhook endpoints, actions against the fake Stripe API.
// Screenshots land in test/artifacts/e2e/.
import type { Page } from 'playwright-core';
import { fillDemo } from '../support/demo/fill.js';
import { allInvoices, pageErrors, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const table = (page: Page) => page.locator('[data-component="DataTable"]').first();
const rows = (page: Page) => table(page).locator('tbody tr[data-row-id]');

/** The first column (invoice number) of the rows, once the table has settled. */
async function numbers(page: Page): Promise<string[]> {
  await page.waitForFunction(() => !document.querySelector('[data-component="DataTable"][aria-busy="true"]'));
  await rows(page).first().waitFor();
  return rows(page).locator('td:first-child').allInnerTexts();
}

/** Waits until the invoice numbers shown differ from `before`, then answers them. */
async function numbersChangedFrom(page: Page, before: string[]): Promise<string[]> {
  await expect.poll(async () => JSON.stringify(await numbers(page)), { timeout: 10_000 }).not.toBe(JSON.stringify(before));
  return numbers(page);
}

const money = (amount: number, currency: string) => {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 10 ** digits);
};


describe('the app in a browser, with demo data', () => {
  it('full page: figures per currency from the pipeline, and cursor pagination through the invoices', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    const stats = (await stack.api('GET', '/stats')).body;
    expect(stats.currencies.map((c: { currency: string }) => c.currency).sort()).toEqual(['eur', 'jpy', 'usd']);
    await page.getByText('Monthly revenue', { exact: false }).first().waitFor();
    const text = await page.locator('main').innerText();
    for (const c of stats.currencies) {
      expect(text).toContain(money(c.total_revenue, c.currency));
      expect(text).toContain(money(c.pending_amount, c.currency));
    }

    const all = await allInvoices(stack);
    expect(all.length).toBeGreaterThan(50);
    const first = await numbers(page);
    expect(first).toHaveLength(25);
    await stack.screenshot(page, 'full-page');

    await page.getByRole('button', { name: 'Next page' }).click();
    const second = await numbersChangedFrom(page, first);
    expect(second).toHaveLength(25);
    expect(second.filter((n) => first.includes(n))).toEqual([]);
    await page.getByRole('button', { name: 'Previous page' }).click();
    expect(await numbersChangedFrom(page, second)).toEqual(first);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('a status filter narrows the list to exactly the past-due invoices', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    const before = await numbers(page);
    await page.getByLabel('Status', { exact: true }).selectOption('past_due');
    const shown = await numbersChangedFrom(page, before);
    const expected = await allInvoices(stack, 'status=past_due');
    expect(expected.length).toBeGreaterThanOrEqual(8);
    // a PayPal subscription's unpaid balance has no number: it is named as such, never by its ledger id (issue 13)
    const label = (i: { number: string | null; external_id: string }) =>
      i.number ?? (i.external_id.includes(':outstanding') ? `PayPal subscription balance · ${i.external_id.split(':')[0]}` : i.external_id);
    expect(shown.sort()).toEqual(expected.map(label).sort());
    expect(shown.some((n) => n.includes(':outstanding'))).toBe(false);
    // past due includes failed payments, which wear their own badge
    const statuses = await rows(page).locator('[data-component="Badge"], .badge').allInnerTexts();
    expect(new Set(statuses)).toEqual(new Set(expected.map((i) => (i.state === 'failed' ? 'Failed' : 'Past due'))));
    await stack.screenshot(page, 'full-page-past-due');
    await page.close();
  });

  it('opens an invoice from the list and voids it through the fake Stripe API', async () => {
    const target = (await allInvoices(stack, 'status=open&gateway=stripe')).find((i) => i.number === 'ACME-0007');
    expect(target).toBeDefined();
    const page = await stack.open('stripe.dashboard.fullpage');
    const before = await numbers(page);
    await page.getByLabel('Search', { exact: true }).fill('ACME-0007');
    expect(await numbersChangedFrom(page, before)).toEqual(['ACME-0007']);
    await rows(page).first().click();

    const dialog = page.locator('[data-component="FocusView"]');
    await dialog.getByText('History').waitFor();
    await dialog.getByText('Acme Analytics').first().waitFor();
    await stack.screenshot(page, 'invoice-from-list', { viewportOnly: true });

    await dialog.getByRole('button', { name: 'Void invoice' }).click();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByText('Invoice voided.', { exact: false }).waitFor();
    await stack.screenshot(page, 'invoice-voided', { viewportOnly: true });

    const calls = stack.preview.stripe.requests.filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${target.external_id}/void`);
    expect(calls).toHaveLength(1);
    expect(calls[0].stripeAccount).toBe(stack.accountId);
    const after = (await stack.api('GET', `/invoices/${target.id}`)).body;
    expect(after.status).toBe('void');
    expect(after.history.at(-1)).toMatchObject({ from_status: 'open', to_status: 'void', source: `user:${stack.userId}` });
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('invoice detail viewport: the Dashboard invoice in the ledger, past due with its tenant', async () => {
    const [inv] = (await allInvoices(stack, 'status=past_due&gateway=stripe')).filter((i) => i.number === 'VRTX-0005');
    expect(inv).toBeDefined();
    const page = await stack.open('stripe.dashboard.invoice.detail', { object: inv.external_id });
    const drawer = page.locator('aside.drawer');
    await drawer.getByText('Vertex Legal').first().waitFor();
    await drawer.getByText('Past due').first().waitFor();
    expect(await drawer.innerText()).toContain(money(inv.amount_remaining, inv.currency));
    await stack.screenshot(page, 'invoice-detail');
    await page.close();
  });

  it('customer detail viewport: the tenant with its Stripe and PayPal invoices', async () => {
    const page = await stack.open('stripe.dashboard.customer.detail', { object: 'cus_DemoQuartz' });
    const drawer = page.locator('aside.drawer');
    await drawer.getByText('Quartz Fitness').first().waitFor();
    const shown = await numbers(page);
    expect(shown.some((n) => n.startsWith('QRTZ-'))).toBe(true);
    expect(shown.some((n) => n.startsWith('PP-QUARTZ-'))).toBe(true);
    await stack.screenshot(page, 'customer-detail');
    await page.close();
  });

  it('drawer: past due per currency, and its link opens the full page', async () => {
    const page = await stack.open('stripe.dashboard.drawer.default');
    const drawer = page.locator('aside.drawer');
    await drawer.getByText('Past due').first().waitFor();
    await drawer.getByText(/\d+ invoices? · /).first().waitFor();
    await stack.screenshot(page, 'drawer');
    await drawer.getByRole('button', { name: /Open Payments/ }).or(drawer.getByRole('link', { name: /Open Payments/ })).first().click();
    await page.locator('main[data-viewport="stripe.dashboard.fullpage"]').waitFor();
    await page.close();
  });

  it('settings: saving the grace days reaches the backend', async () => {
    const page = await stack.open('settings');
    const grace = page.getByLabel('Grace days', { exact: true });
    await grace.waitFor();
    await grace.fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await stack.api('GET', '/settings')).body.past_due_grace_days, { timeout: 10_000 }).toBe(3);
    await page.locator('[data-component="SettingsView"] [role="status"]').waitFor();
    await stack.screenshot(page, 'settings');
    expect((await stack.api('GET', '/settings', undefined, 'live')).body.past_due_grace_days).toBe(0);
    await page.close();
  });

  it('the mode switch shows the separate live-mode ledger', async () => {
    const page = await stack.open('stripe.dashboard.fullpage', { mode: 'live' });
    const live = await numbers(page);
    const expected = await allInvoices(stack, '', 'live');
    expect(live.sort()).toEqual(expected.map((i) => i.number).sort());
    expect(live.every((n) => /^(ACME|BORE)-L-/.test(n))).toBe(true);
    await stack.screenshot(page, 'full-page-live');
    await page.getByRole('button', { name: 'Test mode' }).click();
    const test = await numbersChangedFrom(page, live);
    expect(test.some((n) => /-L-/.test(n))).toBe(false);
    await page.close();
  });

  it('running the demo again adds nothing', async () => {
    const before = await allInvoices(stack);
    const again = await fillDemo(stack.demo);
    expect(again.tenants.created).toBe(0);
    expect(again.links.created).toBe(0);
    expect(again.stripe.stored).toBe(0);
    expect(again.paypal.stored).toBe(0);
    expect(again.stripe.duplicates).toBe(stack.report.stripe.stored);
    expect(again.paypal.duplicates).toBe(stack.report.paypal.stored);
    const after = await allInvoices(stack);
    expect(after.length).toBe(before.length);
  });
});
