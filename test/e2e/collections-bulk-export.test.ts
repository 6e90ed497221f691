// Issue 16 in a real browser over the demo: the Collections tab (its figures are the API's, per
// currency), a bulk void of two invoices with the dry run first, and an export link that serves a
// CSV. Screenshots in test/artifacts/e2e/ (collections.png, bulk-void-dry-run.png, bulk-void-result.png).
import type { Download, Page } from 'playwright-core';
import { allInvoices, pageErrors, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const settled = (page: Page) => page.waitForFunction(() => !document.querySelector('[data-component="DataTable"][aria-busy="true"]'));
const money = (amount: number, currency: string) => {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 10 ** digits);
};

describe('collections, bulk actions and export in a browser', () => {
  it('the Collections tab shows the API figures per currency and the tenants with most overdue', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await settled(page);
    await page.getByRole('tab', { name: 'Collections' }).click();
    await page.getByText('Tenants with most overdue').first().waitFor();
    const figures = (await stack.api('GET', '/collections')).body;
    expect(figures.currencies.length).toBeGreaterThan(0);
    const text = await page.locator('main').innerText();
    for (const c of figures.currencies) {
      expect(text).toContain(c.currency.toUpperCase());
      expect(text).toContain(money(c.overdue_amount, c.currency));
      if (c.dso_days !== null) expect(text).toContain(`${c.dso_days.toFixed(1)} days`);
      for (const t of c.tenants) expect(text).toContain(t.tenant?.name ?? 'No tenant');
    }
    // the demo has overdue tenants: the table is not empty
    expect(figures.currencies.some((c: { tenants: unknown[] }) => c.tenants.length > 0)).toBe(true);
    await stack.screenshot(page, 'collections');
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('bulk void of two invoices: the dry run first, then each result, the list refreshed', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await settled(page);
    await page.getByLabel('Status').selectOption('open');
    await page.getByLabel('Gateway').selectOption('stripe');
    await settled(page);
    await page.getByRole('button', { name: 'Bulk actions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bulk actions' });
    const boxes = dialog.getByRole('checkbox');
    await boxes.first().waitFor();
    const numbers: string[] = [];
    for (const i of [0, 1]) {
      await boxes.nth(i).check();
      const label = await dialog.locator(`label[for="${await boxes.nth(i).getAttribute('id')}"]`).innerText();
      numbers.push(label.split(' · ')[0].trim());
    }
    const before = await allInvoices(stack, 'status=open&gateway=stripe');
    const chosen = numbers.map((n) => before.find((inv) => inv.number === n));
    expect(chosen.every(Boolean)).toBe(true);

    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByText('Dry run: void would apply to 2 invoices').waitFor();
    for (const n of numbers) await dialog.getByRole('row', { name: new RegExp(`${n}.*Would apply`) }).waitFor();
    // nothing voided by the dry run
    for (const inv of chosen) expect((await stack.api('GET', `/invoices/${inv.id}`)).body.status).toBe('open');
    await stack.screenshot(page, 'bulk-void-dry-run', { viewportOnly: true });

    await dialog.getByRole('button', { name: 'Confirm: void 2 invoices' }).click();
    await dialog.getByText('Result: 2 of 2 invoices applied').waitFor();
    for (const n of numbers) await dialog.getByRole('row', { name: new RegExp(`${n}.*Applied`) }).waitFor();
    for (const inv of chosen) expect((await stack.api('GET', `/invoices/${inv.id}`)).body.status).toBe('void');
    await stack.screenshot(page, 'bulk-void-result', { viewportOnly: true });

    // the open list behind the dialog was re-read: the voided invoices are gone from it
    await page.keyboard.press('Escape');
    await settled(page);
    const rowsText = await page.locator('[data-component="DataTable"]').first().innerText();
    for (const n of numbers) expect(rowsText).not.toContain(n);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('Export CSV opens a CSV of the filtered invoice list in a new tab', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await settled(page);
    await page.getByLabel('Status').selectOption('past_due');
    await settled(page);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const link = page.getByRole('link', { name: 'Open CSV' });
    await link.waitFor();
    expect(await link.getAttribute('target')).toBe('_blank');
    const url = (await link.getAttribute('href'))!;
    expect(url).toMatch(/\/exports\/[^/]+$/);
    // what the new tab gets: a CSV attachment (no app headers), every past-due invoice
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'id,number,gateway,external_id,tenant_id,tenant_name,customer_id,status,state,past_due,days_past_due,currency,total,tax,' +
        'amount_due,amount_paid,amount_remaining,amount_refunded,due_date,created_at,paid_at',
    );
    const pastDue = await allInvoices(stack, 'status=past_due');
    expect(lines.length - 1).toBe(pastDue.length);
    // and the browser follows the link in a new tab, which downloads that CSV (an attachment)
    // listen on every new tab before the click: the download can start before the popup is reported
    const started = new Promise<Download>((resolve) => {
      const onPage = (p: Page) => p.once('download', (d) => {
        stack.browser.off('page', onPage);
        resolve(d);
      });
      stack.browser.on('page', onPage);
      page.once('download', resolve);
    });
    await link.click();
    const download = await started;
    expect(download.url()).toBe(url);
    const { readFile } = await import('node:fs/promises');
    const saved = await readFile((await download.path())!, 'utf8');
    expect(saved.split(/\r?\n/)[0]).toBe(lines[0]);
    expect(download.suggestedFilename()).toMatch(/^tenant-billing-invoices-test-.*\.csv$/);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
