// Issue 13 in a real browser, the tenant and settings side: the tenant panel's invoices and balance
// per currency, linking refused for a customer Stripe does not know, and settings loading without
// a 404 before the first import. Screenshots land in test/artifacts/e2e/.
import { pageErrors, startStack, type Stack } from './stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('tenants and settings in a browser', () => {
  it('tenant panel: invoices and outstanding balance; an unknown Stripe customer is not linked', async () => {
    const page = await stack.open('stripe.dashboard.fullpage');
    await page.getByRole('tab', { name: 'Tenants' }).click();
    await page.getByRole('cell', { name: 'Sakura Design' }).first().click();
    const dialog = page.locator('[data-component="FocusView"]');
    await dialog.getByText('Outstanding balance').waitFor();
    await dialog.getByText(/SAKU-\d+/).first().waitFor();
    await dialog.getByText('¥', { exact: false }).first().waitFor();
    const stats = (await stack.api('GET', `/stats?tenant_id=${(await sakura()).id}`)).body;
    const jpy = stats.currencies.find((c: { currency: string }) => c.currency === 'jpy');
    expect(await dialog.innerText()).toContain(`¥${jpy.pending_amount.toLocaleString('en-US')}`);
    await stack.screenshot(page, 'tenant-panel', { viewportOnly: true });

    await dialog.getByLabel('Identity').fill('cus_NewSakuraBranch');
    await dialog.getByRole('button', { name: 'Link', exact: true }).click();
    await dialog.getByText('Stripe has no customer cus_NewSakuraBranch in test mode', { exact: false }).waitFor();
    expect((await sakura()).links.map((l: { external_id: string }) => l.external_id)).not.toContain('cus_NewSakuraBranch');
    await stack.screenshot(page, 'tenant-link-refused', { viewportOnly: true });
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('settings: GET /api/sync answers 200 on load (never a 404), both webhook URLs shown', async () => {
    const page = await stack.open('settings');
    const sync = page.waitForResponse((r) => r.url().endsWith('/api/sync') && r.request().method() === 'GET');
    const res = await sync;
    expect(res.status()).toBe(200);
    await page.getByText(/No import has run yet|Last import/).first().waitFor();
    expect(await page.getByLabel('Stripe webhook URL').inputValue()).toBe(`${stack.backendUrl}/webhooks/stripe`);
    expect(await page.getByLabel('PayPal webhook URL').inputValue()).toBe(`${stack.backendUrl}/webhooks/paypal/${stack.accountId}`);
    await stack.screenshot(page, 'settings-first-load');
    await page.close();
  });
});

async function sakura() {
  const r = await stack.api('GET', '/tenants?q=Sakura');
  return r.body.data.find((t: { name: string }) => t.name === 'Sakura Design');
}
