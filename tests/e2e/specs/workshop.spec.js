// Workshop: a scenario's exercises, answered wrong then right, explained by the engine;
// exploring the scenario never touches the partner's own workspace.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

test('answer an exercise wrong then right, see why, and come back to my workspace unchanged', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await expect(page.locator('.ws-name')).toHaveText('Contoso Cloud — demo self-assessment');

  await app.nav('Workshop').click();
  await expect(page.locator('.scenario-card')).toHaveCount(14);
  await app.screenshot('workshop');
  await page.locator('[data-scenario="pal-global-id"]').click();
  await expect(app.heading()).toHaveText('A PAL link made with the global ID');

  const q = page.locator('[data-exercise="credit"]');
  await q.getByLabel('PAL', { exact: true }).check();
  await q.getByRole('button', { name: 'Check' }).click();
  await expect(q.locator('.feedback')).toHaveClass(/wrong/);
  await expect(q.locator('.feedback')).toContainText('linked with the global ID');
  await q.getByLabel('none', { exact: true }).check();
  await q.getByRole('button', { name: 'Check' }).click();
  await expect(q.locator('.feedback')).toHaveClass(/right/);

  const gain = page.locator('[data-exercise="gain"]');
  await gain.getByRole('textbox').fill('16');
  await gain.getByRole('button', { name: 'Check' }).click();
  await expect(gain.locator('.feedback')).toHaveClass(/right/);
  await expect(gain.locator('.feedback')).toContainText('points before');

  // The facilitator view shows every answer.
  await page.getByLabel('Facilitator view (show answers and explanations)').check();
  await expect(page.locator('[data-exercise="finding"] .facilitator')).toContainText('Answer: yes');
  await app.screenshot('workshop-scenario');

  // Explore the scenario's workspace, then go back: the demo is as it was.
  await page.getByRole('button', { name: "Explore this scenario's workspace" }).click();
  await expect(page.locator('.ws-name')).toHaveText('Workshop — PAL with the global ID');
  await expect(page.locator('.scenario-banner')).toBeVisible();
  await app.nav('Customers').click();
  await expect(page.locator('main table.customers tbody tr')).toHaveCount(1);
  await page.getByRole('button', { name: 'Back to my workspace' }).click();
  await expect(page.locator('.ws-name')).toHaveText('Contoso Cloud — demo self-assessment');
  await expect(page.locator('main table.customers tbody tr')).toHaveCount(16);
  await app.nav('Dashboard').click();
  await expect(page.locator('[data-designation="infrastructure_azure"] .score')).toHaveText('66.00');

  // Progress is kept in this browser.
  await app.nav('Workshop').click();
  await expect(page.locator('[data-scenario="pal-global-id"] .progress-line')).toContainText('2/3 answered');
  app.expectNoErrors();
});

test('a scenario file whose stated answer disagrees with the engine is refused', async ({ page }) => {
  const app = new App(page);
  await app.open('#/workshop');
  const file = await import('fs').then((fs) => fs.readFileSync(new URL('../../../src/data/scenarios/pal-global-id.json', import.meta.url), 'utf8'));
  const bad = file.replace('"answer": 16', '"answer": 12').replace('"id": "pal-global-id"', '"id": "my-pal"');
  await page.locator('input[type="file"]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  await expect(page.locator('.notice.error')).toContainText('exercises[2].answer');
  await expect(page.locator('.notice.error')).toContainText('engine computes 16');
  const good = file.replace('"id": "pal-global-id"', '"id": "my-pal"').replace('"title": "A PAL link made with the global ID"', '"title": "My PAL scenario"');
  await page.locator('input[type="file"]').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(good) });
  await expect(page.locator('.scenario-card')).toHaveCount(15);
  await expect(page.locator('[data-scenario="my-pal"]')).toContainText('My PAL scenario');
  app.expectNoErrors();
});
