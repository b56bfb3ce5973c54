// A 500-customer workspace (8 MB, from `pcs generate`, written by scripts/test.sh) imports in
// the browser with progress, is stored within the browser's quota (deflated), and survives a reload.
import { test, expect } from '../pages/test.js';
import { existsSync } from 'node:fs';
import { App } from '../pages/app.js';
import { DataPage, repoFile } from '../pages/data.js';

const MEDIUM = 'target/e2e-medium.json';

test('a 500-customer workspace imports, saves within the quota and reopens', async ({ page }) => {
  test.setTimeout(60_000);
  expect(existsSync(repoFile(MEDIUM)), `${MEDIUM} is written by scripts/test.sh`).toBe(true);
  const app = new App(page);
  const data = new DataPage(page);
  await app.open('');
  await data.open();
  await data.importFile(MEDIUM);
  await expect(page.locator('.import-progress, .import-ready').first()).toBeVisible();
  await app.screenshot('import-progress', { fullPage: false });
  await data.button('Open as a new workspace').click({ timeout: 30_000 });
  await expect(data.workspaceName()).toHaveText('Synthetic partner — 500 customers (seed 1)');
  await expect(page.locator('.save-state')).toHaveText(/Saved in this browser/, { timeout: 20_000 });
  // Stored deflated: well within the quota.
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('pcs.ws.'))
    .map((k) => [k, localStorage.getItem(k).length, localStorage.getItem(k).slice(0, 6)]));
  const big = stored.find(([, n]) => n > 100_000);
  expect(big[2]).toBe('pcsz1:');
  expect(big[1]).toBeLessThan(2_000_000);

  await page.reload();
  await expect(data.workspaceName()).toHaveText('Synthetic partner — 500 customers (seed 1)');
  await app.nav('Customers').click();
  await expect(page.locator('.lead')).toContainText('500 customers');
  await app.nav('Dashboard').click();
  await expect(page.locator('[data-designation]')).toHaveCount(6);
  await app.screenshot('dashboard-500');
  app.expectNoErrors();
});
