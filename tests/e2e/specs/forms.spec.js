// Forms: every record is entered without JSON, validated inline by the import validator.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

test('a usage line and a DPOR period entered through forms credit a customer', async ({ page }) => {
  const app = new App(page);
  await app.open('#/customers/wide-world');
  await expect(app.heading()).toHaveText('Wide World Importers');

  await page.getByRole('button', { name: 'Add a usage line' }).click();
  const form = page.locator('form.record-form');
  await expect(form.getByRole('heading')).toHaveText('New usage line');
  // A scope that is not an Azure scope is refused next to the field, nothing is saved.
  await form.getByLabel('Scope').fill('subscriptions/8b7d6c5e');
  await form.getByLabel('Service').fill('Azure SQL Database');
  await form.getByLabel('Azure consumed revenue per month (USD) 2026-10').fill('4000');
  await form.getByLabel('Azure consumed revenue per month (USD) 2026-09').fill('3500');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  const scope = form.locator('label.field').filter({ hasText: 'Scope' });
  await expect(scope.locator('.field-error')).toContainText('expected an Azure scope');
  await expect(form.getByLabel('Scope')).toHaveAttribute('aria-invalid', 'true');
  await app.screenshot('form-usage-invalid');

  const sub = await page.locator('table.subscriptions .mono').first().textContent();
  await form.getByLabel('Scope').fill(`/subscriptions/${sub}/resourceGroups/rg-sql`);
  await expect(scope.locator('.field-error')).toBeHidden();
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form).toBeHidden();
  const line = page.locator('.explained > li').filter({ hasText: 'Azure SQL Database' });
  await expect(line).toContainText('not counted');
  await expect(line).toContainText('$4,000');

  // Record ourselves as Digital Partner of Record on the subscription.
  await page.locator('table.subscriptions').getByRole('button', { name: 'Edit subscription' }).click();
  const subForm = page.locator('form.record-form');
  await subForm.getByRole('button', { name: 'Add a DPOR period' }).click();
  await subForm.getByLabel('Partner 1').selectOption({ label: 'Contoso UK (4977985)' });
  await subForm.getByLabel('From 1').fill('2026-01-15');
  await app.screenshot('form-subscription-dpor');
  await subForm.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(subForm).toBeHidden();
  await expect(line).toContainText('counted as DPOR');
  await expect(page.locator('table.subscriptions')).toContainText('from 2026-01-15');

  await app.nav('Customers').click();
  const row = page.locator('main table.customers tbody tr').filter({ hasText: 'Wide World Importers' });
  await expect(row.locator('td.num').first()).toHaveText('$4,000');

  // Both edits can be taken back, one at a time.
  await page.locator('.topbar').getByRole('button', { name: 'Undo' }).click();
  await expect(row.locator('td.num').first()).toHaveText('$0');
  await page.locator('.topbar').getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('link', { name: 'Wide World Importers' }).click();
  await expect(page.getByText('No Azure consumption recorded.')).toBeVisible();
  app.expectNoErrors();
});

test('identities, roles and PAL links are edited in a form', async ({ page }) => {
  const app = new App(page);
  await app.open('#/customers/litware');
  const sam = page.locator('[data-identity="sam-litware"]');
  await sam.getByRole('button', { name: 'Edit identity' }).click();
  const form = sam.locator('form.record-form');
  await expect(form.getByLabel('Sign-in name')).toHaveValue('sam@contoso.example');
  await expect(form.getByLabel('Role 1')).toHaveValue('Contributor');
  await form.getByLabel('Partner ID 1').selectOption('4977985');
  await app.screenshot('form-identity');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  const synapse = page.locator('.explained > li').filter({ hasText: 'Azure Synapse Analytics' });
  await expect(synapse).toContainText('counted as PAL via sam@contoso.example');

  // A duplicate identity id is a cross-record error: shown in the form, nothing saved.
  await page.getByRole('button', { name: 'Add an identity' }).click();
  const add = page.locator('.add-record form.record-form').last();
  await add.getByLabel('Identity ID', { exact: true }).fill('sam-litware');
  await add.getByLabel('Sign-in name').fill('sam2@contoso.example');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(add.locator('.field-error, .notice.error').first()).toContainText('sam-litware');
  await expect(page.locator('[data-identity]')).toHaveCount(2);
  app.expectNoErrors();
});

test('a CUA GUID is registered from the associations page', async ({ page }) => {
  const app = new App(page);
  await app.open('#/associations');
  await page.getByRole('button', { name: 'Register a CUA GUID' }).click();
  const form = page.locator('form.record-form');
  await form.getByLabel('GUID').fill('not-a-guid');
  await form.getByLabel('Offer or solution').fill('Contoso landing zone');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form.locator('.field-error').first()).toContainText('GUID');
  await form.getByLabel('GUID').fill('5f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b');
  await form.getByLabel('Registered in Partner Center').fill('2026-03-01');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.locator('main table').last()).toContainText('5f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b');
  await expect(page.locator('main table').last()).toContainText('Contoso landing zone');
  app.expectNoErrors();
});
