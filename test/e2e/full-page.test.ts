// The full page an admin keeps open, in Chromium over the demo: one filter bar scoping cards, chart
// and tabs; charts that read as money; Failed invoices retried from the list; the list and cards
// fresh after an action without a reload; every tracked event type in the demo. Screenshots in
// test/artifacts/e2e/ (full-page-*.png).
import path from 'node:path';
import type { Page } from 'playwright-core';
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
const settled = (page: Page) => page.waitForFunction(() => !document.querySelector('[data-component="DataTable"][aria-busy="true"]'));

/** The rows' cells as text, once the table has settled. */
async function rowTexts(page: Page): Promise<string[][]> {
  await settled(page);
  await rows(page).first().waitFor();
  return rows(page).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())));
}

const money = (amount: number, currency: string) => {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 10 ** digits);
};

/** The text of the card `label` under the currency heading `currency` (e.g. USD). */
async function card(page: Page, currency: string, label: string): Promise<string> {
  return page.evaluate(
    ({ currency, label }) => {
      const main = document.querySelector('main')!;
      const text = main.innerText;
      const at = text.indexOf(`\n${currency}\n`);
      if (at < 0) return '';
      const after = text.slice(at).split('\n').map((l) => l.trim()).filter(Boolean);
      const i = after.indexOf(label);
      return i < 0 ? '' : after[i + 1];
    },
    { currency, label },
  );
}

/** Opens a tab and waits for its own table (identified by a column only it has). */
async function openTab(page: Page, tab: string, column: string) {
  await page.getByRole('tab', { name: tab }).click();
  await table(page).locator('th', { hasText: column }).waitFor();
}

async function pickTenant(page: Page, name: string) {
  const input = page.getByLabel('Tenant', { exact: true });
  await input.fill(name.slice(0, 4));
  await page.getByRole('option', { name }).first().click();
}

describe('the full page in a browser, with demo data', () => {
  // README_SCREENSHOT=1 retakes the README's picture (stripe-app/preview/screenshot.png) from the
  // untouched demo, at 1440×900; off by default so a test run leaves the tree unchanged.
  it.runIf(process.env.README_SCREENSHOT === '1')('README screenshot', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-component="BarChart"]').first().waitFor();
    await settled(page);
    await rows(page).first().waitFor();
    await page.screenshot({ path: path.resolve(import.meta.dirname, '../../stripe-app/preview/screenshot.png') });
    await page.close();
  });

  it('one filter bar: one Tenant and one Date control; the tenant scopes cards, chart and every tab', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await settled(page);
    for (const tab of ['Invoices', 'Payment events', 'Past due']) {
      await page.getByRole('tab', { name: tab }).click();
      await settled(page);
      expect(await page.getByLabel('Tenant', { exact: true }).count()).toBe(1);
      expect(await page.locator('main [data-component="DateRangePicker"]').count()).toBe(1);
    }
    await page.getByRole('tab', { name: 'Invoices' }).click();
    // the default is every invoice ever billed, for cards and list alike
    expect(await page.getByLabel('Date preset').inputValue()).toBe('allTime');

    const tenant = (await stack.api('GET', '/tenants?q=Borealis')).body.data[0];
    const stats = (await stack.api('GET', `/stats?tenant_id=${tenant.id}`)).body;
    expect(stats.currencies.map((c: { currency: string }) => c.currency)).toEqual(['eur']);
    const before = await rowTexts(page);
    await pickTenant(page, 'Borealis Health');
    await expect.poll(async () => JSON.stringify(await rowTexts(page)), { timeout: 10_000 }).not.toBe(JSON.stringify(before));
    const shown = await rowTexts(page);
    expect(new Set(shown.map((r) => r[1]))).toEqual(new Set(['Borealis Health']));
    // cards and chart: only the tenant's currency
    await expect.poll(() => page.locator('main').innerText(), { timeout: 10_000 }).not.toContain('Monthly revenue · USD');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Monthly revenue · EUR');
    expect(await card(page, 'EUR', 'Pending amount')).toBe(money(stats.currencies[0].pending_amount, 'eur'));
    await stack.screenshot(page, 'full-page-one-filter-bar');

    await openTab(page, 'Payment events', 'Event type');
    const events = await rowTexts(page);
    expect(new Set(events.map((r) => r[2]))).toEqual(new Set(['Borealis Health']));
    await openTab(page, 'Past due', 'Days past due');
    const pastDue = await rowTexts(page);
    expect(new Set(pastDue.map((r) => r[1]))).toEqual(new Set(['Borealis Health']));
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('charts: currency on the axis, whole round money ticks, every month labelled, the value on hover', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await page.locator('[data-component="BarChart"]').first().waitFor();
    const stats = (await stack.api('GET', '/stats')).body;
    const months = stats.monthly.filter((m: { currency: string }) => m.currency === 'eur');
    const eur = page.locator('[data-component="BarChart"]').nth(stats.currencies.findIndex((c: { currency: string }) => c.currency === 'eur'));

    expect(await eur.locator('.chart-axis-label').allTextContents()).toEqual(['Month', 'Revenue (EUR)']);
    const ticks = await eur.locator('.chart-tick').allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of ticks) expect(t).toMatch(/^€[\d,]+$/); // "€1,500", never "1.5K" or "341.5"
    const values = ticks.map((t) => Number(t.replace(/[€,]/g, '')));
    const step = values[1] - values[0];
    expect(values.every((v, i) => i === 0 || v - values[i - 1] === step)).toBe(true);
    expect([1, 2, 5]).toContain(step / 10 ** Math.floor(Math.log10(step))); // 1, 2 or 5 times a power of ten

    const labels = await eur.locator('.chart-x').allTextContents();
    expect(labels).toHaveLength(months.length);
    expect(labels.length).toBe(12);

    const biggest = months.reduce((a: { revenue: number }, b: { revenue: number }) => (b.revenue > a.revenue ? b : a));
    const i = months.indexOf(biggest);
    await eur.locator('rect').nth(i).hover();
    const tip = eur.getByRole('tooltip');
    await tip.waitFor();
    expect(await tip.innerText()).toBe(`${labels[i]}: ${money(biggest.revenue, 'eur')}`);
    await stack.screenshot(page, 'full-page-chart-hover', { viewportOnly: true });
    await page.close();
  });

  it('fresh after an action: void ACME-0007 in the panel, close it — the row and the USD pending card update without a reload', async () => {
    const target = (await allInvoices(stack, 'q=ACME-0007')).find((i) => i.number === 'ACME-0007');
    expect(target.status).toBe('open');
    const page = await stack.open('stripe.dashboard.fullpage');
    const pendingBefore = (await stack.api('GET', '/stats')).body.currencies.find((c: { currency: string }) => c.currency === 'usd').pending_amount;
    await page.getByText('Monthly revenue', { exact: false }).first().waitFor();
    expect(await card(page, 'USD', 'Pending amount')).toBe(money(pendingBefore, 'usd'));
    const before = await rowTexts(page);
    await page.getByLabel('Search', { exact: true }).fill('ACME-0007');
    await expect.poll(async () => JSON.stringify(await rowTexts(page)), { timeout: 10_000 }).not.toBe(JSON.stringify(before));
    const [row] = await rowTexts(page);
    expect(row[0]).toBe('ACME-0007');
    expect(row[4]).toBe('Open');
    // a marker that disappears if the page reloads
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await rows(page).first().click();
    const dialog = page.locator('[data-component="FocusView"]');
    await dialog.getByRole('button', { name: 'Void invoice' }).click();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(async () => (await stack.api('GET', `/invoices/${target.id}`)).body.status, { timeout: 10_000 }).toBe('void');
    await dialog.getByRole('button', { name: /close/i }).first().click();

    await expect.poll(async () => (await rowTexts(page))[0][4], { timeout: 10_000 }).toBe('Void');
    const pendingAfter = pendingBefore - target.amount_remaining;
    await expect.poll(() => card(page, 'USD', 'Pending amount'), { timeout: 10_000 }).toBe(money(pendingAfter, 'usd'));
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await stack.screenshot(page, 'full-page-fresh-after-void');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('Failed: its own badge, status filter and legend entry; Retry from the list pays it, with a toast and a Dashboard refresh', async () => {
    const failed = await allInvoices(stack, 'status=failed');
    expect(failed.map((i) => i.number)).toContain('NWND-0007');
    expect(failed.every((i) => i.state === 'failed')).toBe(true);
    const page = await stack.open('stripe.dashboard.fullpage');
    const before = await rowTexts(page);
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await expect.poll(async () => JSON.stringify(await rowTexts(page)), { timeout: 10_000 }).not.toBe(JSON.stringify(before));
    const shown = await rowTexts(page);
    // a failed PayPal subscription payment has no number: its row names the subscription's balance
    const label = (i: { number: string | null; external_id: string }) =>
      i.number ?? `PayPal subscription balance · ${i.external_id.split(':')[0]}`;
    expect(shown.map((r) => r[0]).sort()).toEqual(failed.map(label).sort());
    expect(new Set(shown.map((r) => r[4]))).toEqual(new Set(['Failed']));
    const legend = await page.locator('main').innerText();
    expect(legend).toContain('payment was attempted but did not go through');
    await stack.screenshot(page, 'full-page-failed');

    const target = failed.find((i) => i.number === 'NWND-0007');
    const row = rows(page).filter({ hasText: 'NWND-0007' });
    await row.getByRole('button', { name: 'Row actions' }).click();
    await page.getByRole('menuitem', { name: 'Retry payment' }).click();
    await page.getByTestId('toast').filter({ hasText: 'NWND-0007 paid' }).waitFor();
    await expect.poll(async () => (await stack.api('GET', `/invoices/${target.id}`)).body.status, { timeout: 10_000 }).toBe('paid');
    const calls = stack.preview.stripe.requests.filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${target.external_id}/pay`);
    expect(calls).toHaveLength(1);
    // the list (filtered on Failed) no longer shows it, without a reload
    await expect.poll(async () => (await rowTexts(page).catch(() => [])).map((r) => r[0]), { timeout: 10_000 }).not.toContain('NWND-0007');
    await page.locator('.host-log summary').click();
    expect(await page.locator('.host-log li[data-call="refreshDashboardData"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.host-log li[data-call="showToast"]').count()).toBeGreaterThanOrEqual(1);
    await stack.screenshot(page, 'full-page-retried');
    await page.close();
  });

  it('demo data: every event type of the tracked-events list, and a failed payment that was then paid', async () => {
    const types = [
      'checkout.session.completed',
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'invoice.payment_failed',
      'invoice.paid',
      'BILLING.SUBSCRIPTION.CREATED',
      'BILLING.SUBSCRIPTION.ACTIVATED',
      'BILLING.SUBSCRIPTION.CANCELLED',
      'BILLING.SUBSCRIPTION.SUSPENDED',
    ];
    for (const type of types) {
      const r = await stack.api('GET', `/events?type=${encodeURIComponent(type)}&limit=100`);
      expect(r.status).toBe(200);
      expect(r.body.data.length, type).toBeGreaterThan(0);
      for (const e of r.body.data) expect(e.error, `${type} ${e.event_id}`).toBeNull();
    }
    // Sakura's SAKU-0005: payment failed, then paid on the retry
    const [saku] = (await allInvoices(stack, 'q=SAKU-0005')).filter((i) => i.number === 'SAKU-0005');
    expect(saku.status).toBe('paid');
    const events = (await stack.api('GET', `/invoices/${saku.id}`)).body.events.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(['invoice.payment_failed', 'invoice.paid']));

    const page = await stack.open('stripe.dashboard.fullpage');
    await openTab(page, 'Payment events', 'Event type');
    const before = await rowTexts(page);
    await page.getByLabel('Event type', { exact: true }).fill('customer.subscription.created');
    await expect.poll(async () => JSON.stringify(await rowTexts(page)), { timeout: 10_000 }).not.toBe(JSON.stringify(before));
    const shown = await rowTexts(page);
    expect(new Set(shown.map((r) => r[1]))).toEqual(new Set(['customer.subscription.created']));
    expect(shown.every((r) => r[2] !== '—')).toBe(true); // each belongs to its tenant
    await stack.screenshot(page, 'full-page-subscription-events');
    await page.close();
  });
});
