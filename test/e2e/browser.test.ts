// The npm-shipped Chromium runs on every machine, so the fresh-machine path is tested here even
// where Debian's Chromium is installed; E2E_BROWSER picks what the rest of test/e2e drives.
import { chromium } from 'playwright-core';
import { chooseBrowser, SYSTEM_CHROMIUM } from './browser.js';
import { existsSync } from 'node:fs';

describe('the browser of the e2e tests', () => {
  it('unpacks the npm package\'s Chromium and renders a page with it', async () => {
    const choice = await chooseBrowser('npm');
    expect(choice.kind).toBe('npm');
    expect(choice.executablePath).toContain('node_modules/.cache/sparticuz-chromium/');
    const browser = await chromium.launch({ executablePath: choice.executablePath, env: choice.env, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.setContent('<p>Invoice ACME-0007 · €1.100,00</p>');
      expect(await page.locator('p').innerText()).toBe('Invoice ACME-0007 · €1.100,00');
      expect(await page.evaluate(() => navigator.userAgent)).toMatch(/Chrome\/\d+/);
      // text is drawn with a real font: the paragraph has a width
      expect((await page.locator('p').boundingBox())!.width).toBeGreaterThan(100);
    } finally {
      await browser.close();
    }
  });

  it('uses the system Chromium when present unless E2E_BROWSER=npm, and refuses unknown values', async () => {
    expect((await chooseBrowser('')).kind).toBe(existsSync(SYSTEM_CHROMIUM) ? 'system' : 'npm');
    expect((await chooseBrowser('npm')).kind).toBe('npm');
    await expect(chooseBrowser('firefox')).rejects.toThrow('E2E_BROWSER must be "system", "npm" or unset');
    if (!existsSync(SYSTEM_CHROMIUM)) await expect(chooseBrowser('system')).rejects.toThrow('does not exist');
  });
});
