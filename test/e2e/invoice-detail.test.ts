// Issue 13 in a real browser, the invoice side: the invoice detail (state badge, failed payment,
// line items, PDF / receipt / Open in Stripe), readable labels in the list and the history, the
// toast and Dashboard refresh after an action, and the one-time invoice form. Screenshots land in
// test/artifacts/e2e/.
import type { Page } from 'playwright-core';
import { signDelivery, stripeEvent, stripeInvoice } from '../support/stripe-events.js';
import { allInvoices, pageErrors, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const LABEL: Record<string, string> = {
  draft: 'Draft', open: 'Open', past_due: 'Past due', failed: 'Failed', paid: 'Paid', uncollectible: 'Uncollectible', void: 'Void',
};
/** the badge the app shows: the API's `state` */
const stateOf = (inv: { state: string }) => inv.state;

const table = (page: Page) => page.locator('[data-component="DataTable"]').first();
const rows = (page: Page) => table(page).locator('tbody tr[data-row-id]');
async function firstColumn(page: Page): Promise<string[]> {
  await page.waitForFunction(() => !document.querySelector('[data-component="DataTable"][aria-busy="true"]'));
  await rows(page).first().waitFor();
  return rows(page).locator('td:first-child').allInnerTexts();
}
const tenantByName = async (name: string) =>
  ((await stack.api('GET', `/tenants?q=${encodeURIComponent(name)}`)).body.data as { id: string; name: string }[]).find((t) => t.name === name)!;

describe('invoice detail and labels in a browser', () => {
  it('a failed payment: its own badge, the error, Retry payment offered first', async () => {
    const northwind = await tenantByName('Northwind Logistics');
    const [failed] = await allInvoices(stack, `tenant_id=${northwind.id}&status=past_due&gateway=stripe`);
    expect(failed).toBeDefined();
    const detail = (await stack.api('GET', `/invoices/${failed.id}`)).body;
    const page = await stack.open('stripe.dashboard.invoice.detail', { object: failed.external_id });
    const drawer = page.locator('aside.drawer');
    await drawer.getByText('Northwind Logistics').first().waitFor();
    const badge = drawer.locator('[data-component="Badge"]').first();
    expect(await badge.innerText()).toBe(LABEL[stateOf(detail)]);
    if (stateOf(detail) === 'failed') {
      // exact: the history's "payment failed" entry is not the banner
      await drawer.getByText('Payment failed', { exact: true }).waitFor();
      if (detail.last_payment_error) await drawer.getByText(detail.last_payment_error, { exact: false }).waitFor();
    }
    const retry = drawer.getByRole('button', { name: 'Retry payment' });
    await retry.waitFor();
    expect(await drawer.getByRole('button').allInnerTexts()).toContain('Retry payment');
    await stack.screenshot(page, 'invoice-detail-failed');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('a paid invoice: line items, PDF and receipt links, and no raw ids as its name', async () => {
    // a paid invoice as Stripe sends it: usage and a fixed fee, its hosted page and PDF
    const id = 'in_E2eReceipt01';
    const now = Math.floor(Date.now() / 1000);
    const line = (n: number, description: string, amount: number, quantity: number) => ({
      id: `il_E2e${n}`, object: 'line_item', amount, currency: 'usd', description, quantity,
      period: { start: now - 30 * 86400, end: now }, livemode: false, metadata: {}, discountable: true, discounts: [],
      invoice: id, parent: null, pricing: null, taxes: [], pretax_credit_amounts: [], discount_amounts: [],
    });
    const invoice = stripeInvoice({
      id, customer: 'cus_DemoAcme', number: 'ACME-E2E-1', status: 'paid', currency: 'usd',
      total: 12500, subtotal: 12500, amount_due: 12500, amount_paid: 12500, amount_remaining: 0, created: now - 3600,
      hosted_invoice_url: `https://invoice.stripe.com/i/${id}`, invoice_pdf: `https://pay.stripe.com/invoice/${id}/pdf`,
      lines: { object: 'list', data: [line(1, 'API calls', 7500, 1500), line(2, 'Monthly minimum', 5000, 1)], has_more: false, url: `/v1/invoices/${id}/lines` } as never,
    });
    const { body, headers } = signDelivery(stripeEvent('invoice.paid', invoice, { account: stack.accountId }), {
      secret: stack.preview.secrets.webhookSecret,
    });
    expect((await fetch(`${stack.backendUrl}/webhooks/stripe`, { method: 'POST', headers, body })).status).toBe(200);
    let paid: any;
    await expect
      .poll(async () => (paid = (await allInvoices(stack, 'q=ACME-E2E-1'))[0])?.status, { timeout: 10_000 })
      .toBe('paid');
    const detail = (await stack.api('GET', `/invoices/${paid.id}`)).body;
    const page = await stack.open('stripe.dashboard.invoice.detail', { object: paid.external_id });
    const drawer = page.locator('aside.drawer');
    await drawer.getByText(paid.number).first().waitFor();
    expect(await drawer.getByRole('link', { name: 'Download PDF' }).getAttribute('href')).toBe(paid.pdf_url);
    expect(await drawer.getByRole('link', { name: 'Receipt' }).getAttribute('href')).toBe(paid.hosted_url);
    if (Array.isArray(detail.lines)) {
      await drawer.getByText('Line items').waitFor();
      for (const line of detail.lines.filter((l: { description: string | null }) => l.description)) {
        await drawer.getByText(line.description, { exact: false }).first().waitFor();
      }
    }
    await stack.screenshot(page, 'invoice-detail-paid');

    // the same invoice from the full page: "Open in Stripe" is the Dashboard URL of the mode
    if (detail.dashboard_url) {
      const full = await stack.open('stripe.dashboard.fullpage');
      await full.getByLabel('Search', { exact: true }).fill(paid.number);
      await expect.poll(async () => JSON.stringify(await firstColumn(full)), { timeout: 10_000 }).toBe(JSON.stringify([paid.number]));
      await rows(full).first().click();
      const dialog = full.locator('[data-component="FocusView"]');
      expect(await dialog.getByRole('link', { name: 'Open in Stripe' }).getAttribute('href')).toBe(detail.dashboard_url);
      expect(detail.dashboard_url).toContain('/test/invoices/');
      await full.close();
    }
    await page.close();
  });

  it('rows are named by number, drafts by tenant and date, PayPal balances as such — never in_… or :outstanding', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await page.getByLabel('Status', { exact: true }).selectOption('draft');
    await expect.poll(async () => (await firstColumn(page)).every((n) => n.startsWith('Draft · ')), { timeout: 10_000 }).toBe(true);
    const drafts = await firstColumn(page);
    expect(drafts.some((n) => n.startsWith('Draft · Northwind Logistics · '))).toBe(true);
    await stack.screenshot(page, 'labels-drafts');

    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Search', { exact: true }).fill('I-DEMOZEPHYR0001');
    await expect
      .poll(async () => (await firstColumn(page)).includes('PayPal subscription balance · I-DEMOZEPHYR0001'), { timeout: 10_000 })
      .toBe(true);
    const shown = await firstColumn(page);
    expect(shown.filter((n) => /:outstanding|^in_/.test(n))).toEqual([]);
    await stack.screenshot(page, 'labels-paypal-balance');
    await page.close();
  });

  it('after an action: a toast, the Dashboard refreshed, the panel re-read, history "by you"', async () => {
    const target = (await allInvoices(stack, 'status=open&gateway=stripe')).find((i) => i.number && !i.past_due && i.number !== 'ACME-0007')!;
    const page = await stack.open('stripe.dashboard.invoice.detail', { object: target.external_id });
    const drawer = page.locator('aside.drawer');
    await drawer.getByRole('button', { name: 'Mark uncollectible' }).click();
    await drawer.getByRole('button', { name: 'Confirm' }).click();
    const toast = page.getByTestId('toast').filter({ hasText: `${target.number} marked uncollectible` });
    await toast.waitFor();
    await drawer.locator('[data-component="Badge"]', { hasText: 'Uncollectible' }).first().waitFor();
    await drawer.getByText('by you').first().waitFor();
    // the Dashboard was asked to refresh its own data (Stripe's invoice page behind the app)
    expect(await page.locator('.host-log li[data-call="refreshDashboardData"]').count()).toBe(1);
    expect(await drawer.innerText()).not.toMatch(/usr_e2e|by admin usr_/);
    await stack.screenshot(page, 'invoice-action-toast', { viewportOnly: true });
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('one-time invoice: picked tenants shown, errors clear when fixed, results by number, Done without a spinner', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await page.getByRole('button', { name: 'Create one-time invoice' }).click();
    const dialog = page.locator('[data-component="FocusView"]');
    await dialog.getByRole('button', { name: 'Create invoices' }).click();
    await dialog.getByText('Pick at least one tenant.').waitFor();
    await dialog.getByText('Describe the line.').waitFor();

    const search = dialog.getByLabel('Tenants');
    for (const name of ['Acme Analytics', 'Borealis Health']) {
      await search.fill(name.split(' ')[0]);
      await dialog.getByRole('option', { name }).click();
      await dialog.locator('[data-component="Chip"]', { hasText: name }).waitFor();
    }
    expect(await dialog.locator('[data-component="Chip"]').allInnerTexts()).toEqual([
      expect.stringContaining('Acme Analytics'),
      expect.stringContaining('Borealis Health'),
    ]);
    await expect.poll(() => dialog.getByText('Pick at least one tenant.').count()).toBe(0);
    await dialog.getByLabel('Line 1 description').fill('Setup fee');
    await expect.poll(() => dialog.getByText('Describe the line.').count()).toBe(0);
    await dialog.getByLabel('Line 1 amount').fill('250');
    await stack.screenshot(page, 'one-time-form', { viewportOnly: true });

    await dialog.getByRole('button', { name: 'Create invoices' }).click();
    await dialog.getByText(/of 2 invoices created|Could not create/).first().waitFor({ timeout: 20_000 });
    expect(await dialog.innerText()).toMatch(/of 2 invoices created/);
    const text = await dialog.innerText();
    expect(text).not.toMatch(/Created in_/);
    const numbers = (await allInvoices(stack, 'status=open&gateway=stripe')).map((i) => i.number).filter(Boolean);
    expect(text.match(/Created [A-Z0-9-]+/g)?.every((m) => numbers.includes(m.slice('Created '.length)))).toBe(true);
    const done = dialog.getByRole('button', { name: 'Done' });
    await done.waitFor();
    expect(await done.getAttribute('aria-busy')).toBeNull();
    expect(await done.locator('.spinner').count()).toBe(0);
    await page.getByTestId('toast').filter({ hasText: 'invoices created' }).waitFor();
    await stack.screenshot(page, 'one-time-results', { viewportOnly: true });
    await done.click();
    await expect.poll(() => page.locator('[data-component="FocusView"]').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
