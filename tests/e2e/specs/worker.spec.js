// The path to 70 is planned in the engine worker: on the 500-customer workspace (written by
// scripts/test.sh) the page answers clicks while a plan computes — the dashboard opens, the
// theme toggles — the top bar says what is being planned, and the plan is there on return.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';
import { DataPage } from '../pages/data.js';

const MEDIUM = 'target/e2e-medium.json';

test('the medium dashboard answers clicks while the engine worker plans', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  await app.open('');
  await new DataPage(page).openGenerated(MEDIUM, 'Synthetic partner — 500 customers (seed 1)');
  await app.open('#/designations/digital_app_innovation_azure');
  await page.getByRole('button', { name: 'Plan the shortest path' }).click();
  const planning = page.locator('.planning-state');
  await expect(planning).toContainText('Planning Digital & App Innovation (Azure)');
  await expect(page.locator('.plan-progress')).toBeVisible();
  // While the worker plans (about a second here): the dashboard opens and a click is answered,
  // each recorded in the page with whether the plan was still computing at that moment.
  await page.evaluate(() => {
    window.__answered = [];
    const planning = () => document.querySelector('.planning-state') !== null;
    new MutationObserver(() => window.__answered.push({ theme: document.documentElement.dataset.theme, planning: planning() }))
      .observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  });
  await app.nav('Dashboard').click();
  await expect(page.locator('[data-designation]')).toHaveCount(6);
  const dashboardWhilePlanning = await planning.isVisible();
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  if (dashboardWhilePlanning) await app.screenshot('planning-in-the-worker', { fullPage: false });
  expect(dashboardWhilePlanning, 'the dashboard opened while the plan computed').toBe(true);
  expect(await page.evaluate(() => window.__answered)).toEqual([{ theme: 'dark', planning: true }]);
  await page.getByRole('button', { name: 'Light theme' }).click();
  // The plan arrives while the user is elsewhere, and waits on the designation page.
  await expect(planning).toHaveCount(0, { timeout: 90_000 });
  await app.open('#/designations/digital_app_innovation_azure');
  await expect(page.locator('.plan-result')).toContainText('points');
  await expect(page.locator('.plan > li').first()).toBeVisible();
  app.expectNoErrors();
});

// The engine worker starts when a page offering a plan opens, not on the click: its module
// (built for speed, larger) loads and compiles while the user reads the page. The first load
// (the dashboard) starts nothing.
test('a designation page that offers a plan starts the engine worker before the click', async ({ page }) => {
  const app = new App(page);
  const loaded = [];
  page.on('response', (r) => { if (r.url().includes('pcs-worker_bg.wasm')) loaded.push(r.status()); });
  await app.open('');
  await expect(page.locator('[data-designation]')).toHaveCount(6);
  await page.waitForTimeout(500);
  expect(loaded).toEqual([]);
  await app.open('#/designations/infrastructure_azure');
  await expect(page.getByRole('button', { name: 'Plan the shortest path' })).toBeVisible();
  await expect.poll(() => loaded, { timeout: 10_000 }).toEqual([200]);
  // The warm worker takes the job.
  await page.getByRole('button', { name: 'Plan the shortest path' }).click();
  await expect(page.locator('.plan-result')).toContainText('qualifies', { timeout: 30_000 });
  expect(loaded).toEqual([200]);
  app.expectNoErrors();
});
