// Bringing your own data: a new empty workspace fills from Partner Center downloads and the
// tenant inventory, previewed per customer, applied as one undoable edit, idempotent.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';
import { DataPage, ImportCard, IMPORT_FIXTURES } from '../pages/data.js';

test('a new workspace from four files: recognised, previewed, applied, scored, no changes the second time, undone', async ({ page }) => {
  const app = new App(page);
  const data = new DataPage(page);
  const card = new ImportCard(page);
  await app.open('#/data');
  await page.getByLabel('Name of the new workspace').fill('Contoso Cloud');
  await page.getByRole('button', { name: 'Start an empty workspace' }).click();
  await expect(data.workspaceName()).toHaveText('Contoso Cloud');
  await expect(page.locator('.ws-title')).toHaveText('Contoso Cloud');
  await expect(page.locator('.ws-summary')).toContainText('0 customers');

  await card.drop(IMPORT_FIXTURES);
  await expect(card.files()).toHaveCount(4);
  const kinds = await card.files().evaluateAll((els) => els.map((e) => e.dataset.kind));
  expect(kinds).toEqual(['pc_azure_usage', 'pc_cpor_m365_usage', 'pc_trainings', 'tenant_inventory']);
  await expect(card.files().nth(0)).toContainText('recognised as Partner Center: Azure usage');
  await expect(card.files().nth(3)).toContainText('recognised as Tenant inventory (PCS Workbench collector)');
  await expect(card.files().nth(2)).toContainText('unknown certification "Microsoft Certified: Azure Juggler Associate"');

  await expect(card.customers()).toHaveCount(10);
  const fabrikam = card.customers().filter({ hasText: 'Fabrikam, Ltd.' });
  await expect(fabrikam).toContainText('new');
  await fabrikam.locator('summary').click();
  await expect(fabrikam.locator('.change.add')).toHaveCount(7);
  await expect(fabrikam).toContainText('usage Azure SQL Database at /subscriptions/50000001');
  await expect(fabrikam).toContainText('PAL 4977985 since 2024-10-15');
  await expect(card.headline()).toContainText('10 new customers');
  await expect(card.card.locator('.unmatched')).toContainText('multi-factor authentication');
  await app.screenshot('import-preview');

  await card.applyButton().click();
  await expect(page.locator('.toast')).toContainText('Imported: 10 new customers');
  await app.nav('Dashboard').click();
  const infra = page.locator('[data-designation="infrastructure_azure"]');
  await expect(infra.locator('.score')).toHaveText('72.00');
  await expect(infra.locator('.badge')).toHaveText('Qualified');
  await expect(page.locator('[data-designation="data_ai_azure"] .score')).toHaveText('68.00');
  await app.screenshot('import-dashboard');

  // The customer page says where its data came from.
  await page.goto('#/customers/fabrikam-ltd');
  const provenance = page.locator('.provenance');
  await provenance.locator('summary').click();
  await expect(provenance).toContainText('Partner Center: Azure usage — azure-usage.csv, imported 2026-11-20');
  await expect(provenance).toContainText('Tenant inventory (PCS Workbench collector) — tenant-inventory.json');

  // The same files again: nothing to do.
  await app.nav('Data').click();
  await card.drop(IMPORT_FIXTURES);
  await expect(card.headline()).toContainText('No changes');
  await expect(card.applyButton()).toBeDisabled();
  await expect(card.applyButton()).toHaveText('Nothing to apply');

  // Undo takes the whole import back.
  await page.locator('.topbar').getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.ws-summary')).toContainText('0 customers');
  await app.nav('Dashboard').click();
  await expect(infra.locator('.score')).toHaveText('0.00');
  app.expectNoErrors();
});

test('a conflict is kept unless the file is taken, and a wrong file is refused in one sentence', async ({ page }) => {
  const app = new App(page);
  const card = new ImportCard(page);
  await app.open('#/data');
  await card.drop(['tests/data/import/nasty/wrong-kind.csv', 'tests/data/import/nasty/bad-values.csv']);
  const refused = card.card.locator('.import-file.refused');
  await expect(refused).toContainText('wrong-kind.csv — not imported: this looks like a CSV file with the columns ReferralId');
  const bad = card.files().filter({ hasText: 'bad-values.csv' });
  await expect(bad.locator('.refused-rows')).toContainText('bad-values.csv, line 3, column 2 (CustomerTenantId)');
  await expect(bad.locator('.refused-rows')).toContainText('line 4, column 17 (ACR_USD): "twelve" is not a number');
  // The demo already has a customer with Fabrikam's name but another tenant: names never match.
  await expect(card.customers().filter({ hasText: 'Fabrikam, Ltd.' })).toContainText('new');
  await card.card.getByRole('button', { name: 'Cancel' }).click();
  await expect(card.card.locator('.import-preview')).toHaveCount(0);
  app.expectNoErrors();
});
