// GitHub Pages serves a project under /<repository>/: the same dist/ must work there,
// including a deep link opened directly.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

test('a deep link under a sub-path opens the right page', async ({ page }) => {
  const app = new App(page);
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await app.open('/pcs-workbench/#/customers');
  await expect(app.heading()).toHaveText('Customers');
  await expect(app.nav('Customers')).toHaveAttribute('aria-current', 'page');
  expect(failed).toEqual([]);
  app.expectNoErrors();
});

// The engine worker loads from the sub-path too (its loader, glue and module next to the page).
test('the engine worker plans under a sub-path', async ({ page }) => {
  const app = new App(page);
  const worker = [];
  page.on('response', (r) => { if (r.url().includes('pcs-worker')) worker.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  await app.open('/pcs-workbench/#/designations/infrastructure_azure');
  await page.getByRole('button', { name: 'Plan the shortest path' }).click();
  await expect(page.locator('.plan-result')).toContainText('qualifies', { timeout: 30_000 });
  expect(worker.sort()).toEqual([
    '200 /pcs-workbench/pcs-worker-loader.js',
    '200 /pcs-workbench/pcs-worker.js',
    '200 /pcs-workbench/pcs-worker_bg.wasm',
  ]);
  app.expectNoErrors();
});
