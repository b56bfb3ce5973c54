// Reconciliation: Partner Center's reported attribution beside what the tenants explain,
// after importing the fixture set into a new workspace.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';
import { ImportCard, IMPORT_FIXTURES } from '../pages/data.js';

test('import the downloads, find the missing credit, copy its fix', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const app = new App(page);
  const card = new ImportCard(page);
  await app.open('#/data');
  await page.getByLabel('Name of the new workspace').fill('Contoso Cloud');
  await page.getByRole('button', { name: 'Start an empty workspace' }).click();
  await card.drop([...IMPORT_FIXTURES, 'tests/data/import/cost-export.csv']);
  await expect(card.files()).toHaveCount(5);
  await card.applyButton().click();
  await expect(page.locator('.toast')).toContainText('Imported');

  // The dashboard says what the differences put at stake.
  await app.nav('Dashboard').click();
  const strip = page.locator('.recon-strip');
  await expect(strip).toContainText('Partner Center, 2026-10:');
  await expect(strip).toContainText('1 missing credit');
  await expect(strip).toContainText(/[0-9.]+ points at stake from missing credit/);

  await strip.click();
  await expect(app.heading()).toHaveText('Reconciliation');
  await expect(page.getByLabel('Month to reconcile')).toHaveValue('2026-10');
  const summary = (c) => page.locator(`.recon-class[data-class="${c}"]`);
  await expect(summary('missing_credit').locator('.recon-rows')).toHaveText('1 subscription');
  await expect(summary('missing_credit')).toContainText('$1,320 ACR');
  await expect(summary('agree').locator('.recon-rows')).toHaveText('7 subscriptions');
  await expect(summary('agree')).toContainText('$12,630 ACR');
  await expect(page.locator('.recon-scores tr[data-designation="infrastructure_azure"]')).toContainText('72.00');

  // Relecloud: linked with the PGA ID; Microsoft credits nothing.
  const row = page.locator('details.recon-row[data-class="missing_credit"]');
  await expect(row).toHaveCount(1);
  await expect(row.locator('summary')).toContainText('Relecloud');
  await row.locator('summary').click();
  await expect(row.locator('.message')).toContainText('linked with the global ID');
  await expect(row).toContainText('Rule: pal_global_id');
  const cli = row.locator('.copyable').filter({ hasText: 'Azure CLI' });
  await cli.getByRole('button', { name: 'Copy' }).click();
  await expect(cli.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('az login --tenant 10000007-0000-4000-8000-000000000007');
  expect(copied).toContain('az managementpartner update --partner-id 4977985');
  await app.screenshot('reconciliation', { fullPage: true });

  // The summary filters the list; the customer page is one click away.
  await summary('agree').click();
  await expect(page.locator('details.recon-row')).toHaveCount(7);
  await expect(page.locator('.filters')).toContainText('7 of 8 match');
  await summary('agree').click();
  await expect(page.locator('details.recon-row')).toHaveCount(8);
  await expect(page.locator('.filters')).toContainText('8 subscriptions');
  await expect(page.locator('.list-more')).toHaveCount(0);
  await page.getByLabel('Search').fill('tailspin');
  await expect(page.locator('details.recon-row')).toHaveCount(1);
  const tailspin = page.locator('details.recon-row').first();
  await tailspin.locator('summary').click();
  await expect(tailspin.locator('.message')).toContainText('agree');
  await tailspin.getByRole('link', { name: 'Open Tailspin Toys →' }).click();
  await expect(page).toHaveURL(/#\/customers\/tailspin-toys$/);

  // The strip follows the workspace: the import undone, no Partner Center data is left.
  await app.nav('Dashboard').click();
  await expect(strip).toContainText('1 missing credit');
  await page.locator('.topbar').getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.toast')).toContainText('Undone: import 5 files');
  await expect(page.locator('[data-designation]').first()).toContainText('0.00');
  await expect(strip).toHaveCount(0);
  app.expectNoErrors();
});

test('without Partner Center data the page says what to import', async ({ page }) => {
  const app = new App(page);
  await app.open('#/reconciliation');
  await expect(app.heading()).toHaveText('Reconciliation');
  await expect(page.locator('.empty-state')).toContainText('No Partner Center data yet');
  await expect(page.locator('.empty-state')).toContainText('Cloud product performance → Azure');
  await expect(page.locator('.recon-strip')).toHaveCount(0);
  await app.nav('Dashboard').click();
  await expect(page.locator('.recon-strip')).toHaveCount(0);
  app.expectNoErrors();
});
