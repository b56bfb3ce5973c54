// The dashboard shows the six designations scored by the engine; drill-down and findings.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

test('the demo dashboard shows six designations with their scores', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  const cards = page.locator('.card.designation');
  await expect(cards).toHaveCount(6);
  const infra = page.locator('[data-designation="infrastructure_azure"]');
  await expect(infra.locator('.score')).toHaveText('66.00');
  await expect(infra.locator('.badge')).toHaveText('Qualified');
  await expect(infra).toContainText('Enterprise track');
  const dai = page.locator('[data-designation="data_ai_azure"]');
  await expect(dai.locator('.score')).toHaveText('58.00');
  await expect(dai.locator('.badge')).toHaveText('Not qualified');
  await expect(page.locator('.lead').first()).toContainText('2 of 6 Solutions Partner designations qualify');
  await expect(page.locator('.findings-strip')).toContainText('3 to fix');
  await expect(infra.locator('.top-fixes')).toContainText('+10.00');
  await expect(infra.locator('.top-fixes')).toContainText('Litware Inc');
  // Microsoft's three customer-facing badges group the six cards.
  const platforms = page.locator('.badge-group[data-badge="cloud_ai_platforms"]');
  await expect(platforms.locator('.card.designation')).toHaveCount(3);
  await expect(platforms.locator('.badge-count')).toHaveText('2 of 3 qualified');
  await expect(page.locator('.badge-group[data-badge="ai_business_solutions"] .card.designation')).toHaveCount(2);
  await expect(page.locator('.badge-group[data-badge="security"] .badge-count')).toHaveText('0 of 1 qualified');
  await app.screenshot('dashboard');
  app.expectNoErrors();
});

test('switching the rule set re-scores everything', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await page.getByLabel('Rule set').selectOption('2023-10');
  await expect(page.locator('.ws-meta')).toContainText('rules 2023-10');
  await expect(page.locator('[data-designation="infrastructure_azure"]')).not.toContainText('Enterprise track');
  await page.reload();
  await expect(page.locator('.ws-meta')).toContainText('rules 2023-10');
});

test('a designation page lists every metric with its contributors', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await page.locator('[data-designation="infrastructure_azure"] h2 a').click();
  await expect(page).toHaveURL(/#\/designations\/infrastructure_azure$/);
  await expect(app.heading()).toHaveText('Infrastructure (Azure)');
  const nca = page.locator('.metric-card').filter({ hasText: 'Net customer adds' }).first();
  await expect(nca).toContainText('Relecloud');
  await expect(nca).toContainText('Humongous Insurance');
  await expect(page.locator('.metric-card').filter({ hasText: 'Intermediate certifications' }).first())
    .toContainText('Windows Server Hybrid Administrator Associate');
  // Counts read as whole numbers; points keep two decimals.
  await expect(nca.locator('.metric-score')).toContainText(/measured \d+$/);
  await expect(nca.locator('.metric-score')).not.toContainText('.00 ·');
  await expect(page.locator('.metric-card').filter({ hasText: 'Usage growth' }).first().locator('.metric-score')).toContainText(' %');
  const notCounted = nca.locator('.not-counted');
  await notCounted.locator('summary').click();
  await expect(notCounted).toContainText('Litware Inc');
  await expect(notCounted).toContainText('linked with the global ID');
  // No choice is specific to an Azure designation: the general ones are shown open.
  const choices = page.locator('.designation-assumptions');
  await expect(choices.locator('details')).toHaveAttribute('open', '');
  await expect(choices).toContainText('zero baseline');
  await app.screenshot('designation');
  app.expectNoErrors();
});

test('the Security page says which choices it made where the pages are ambiguous', async ({ page }) => {
  const app = new App(page);
  await app.open('#/designations/security');
  const choices = page.locator('.designation-assumptions');
  await expect(choices.locator('.assumption-list').first()).toContainText('at least $12,000.01');
  await expect(choices.locator('.assumption-list').first()).toContainText('Microsoft Sentinel');
  await choices.scrollIntoViewIfNeeded();
  await app.screenshot('designation-assumptions', { fullPage: false });
  app.expectNoErrors();
});

test('findings show the fix with commands carrying the tenant and location IDs', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const app = new App(page);
  await app.open('#/findings');
  await expect(app.heading()).toHaveText('Findings');
  const global = page.locator('.finding[data-code="pal.global_id"]').first();
  await expect(global).toContainText('az login --tenant af9b4d3d-1111-4222-8333-0000af9b4d3d');
  await expect(global).toContainText('az managementpartner update --partner-id 4977985');
  await global.getByRole('button', { name: 'Copy' }).first().click();
  await expect(global.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('af9b4d3d-1111-4222-8333-0000af9b4d3d');
  expect(copied).toContain('4977985');

  await page.getByLabel('Severity').selectOption('error');
  await expect(page.locator('.finding')).toHaveCount(3);
  await app.screenshot('findings');
  app.expectNoErrors();
});

test('a path to 70 that cannot qualify names the metric that blocks it', async ({ page }) => {
  const app = new App(page);
  await app.open('#/designations/business_applications');
  await page.getByRole('button', { name: 'Plan the shortest path' }).click();
  await expect(page.locator('.plan-result')).toContainText('8.00 → 70.00 points');
  await expect(page.locator('.plan-result')).toContainText('does not qualify yet');
  const why = page.locator('.plan-stop');
  await expect(why).toContainText('Usage growth earns 0.00 points');
  await expect(why).toContainText('baseline MCV in M-12 of at least 25000');
  await expect(why).not.toContainText('no further action adds points');
  await why.scrollIntoViewIfNeeded();
  await app.screenshot('path-to-70-blocked', { fullPage: false });
  app.expectNoErrors();
});

test('the path to 70 puts the PAL fix first', async ({ page }) => {
  const app = new App(page);
  await app.open('#/designations/infrastructure_azure');
  await page.getByRole('button', { name: 'Plan the shortest path' }).click();
  const plan = page.locator('.plan > li');
  await expect(plan).toHaveCount(1);
  await expect(plan.first()).toContainText('+10.00');
  await expect(plan.first()).toContainText('Litware Inc with location ID 4977985');
  await expect(page.locator('.plan-result')).toContainText('66.00 → 76.00 points');
  await expect(page.locator('.plan-result')).toContainText('qualifies');
  await app.screenshot('path-to-70', { fullPage: false });
  app.expectNoErrors();
});
