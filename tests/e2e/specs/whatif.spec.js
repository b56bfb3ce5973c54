// What-if: changes layered over the workspace, switched on and off, applied with undo.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

const row = (page, id) => page.locator(`tbody.designation-delta[data-designation="${id}"] tr.total`);

test('a planned fix goes to the what-if, toggles, survives a reload and applies with undo', async ({ page }) => {
  const app = new App(page);
  await app.open('#/designations/infrastructure_azure');
  await page.getByRole('button', { name: 'Plan the shortest path' }).click();
  const first = page.locator('ol.plan li').first();
  await expect(first).toContainText('ada@contoso.example');
  await first.getByRole('button', { name: 'Add to what-if' }).click();
  await expect(page.locator('.toast')).toContainText('Added to the what-if');

  await app.nav('What-if').click();
  await expect(app.heading()).toHaveText('What-if');
  const infra = row(page, 'infrastructure_azure');
  await expect(infra.locator('.before')).toHaveText('66.00');
  await expect(infra.locator('.after')).toHaveText('76.00');
  await expect(infra.locator('.delta')).toHaveText('+10.00');
  await expect(row(page, 'digital_app_innovation_azure').locator('.after')).toHaveText('72.00');

  // A second change, from the form: Grace earns a certification.
  await page.getByLabel('Kind of change').selectOption({ label: 'A person certified' });
  await page.getByLabel('Person').selectOption({ label: 'Grace Hopper' });
  await page.getByLabel('Certification').selectOption({ label: 'Azure Data Scientist Associate' });
  await page.getByRole('button', { name: 'Add to what-if' }).click();
  await expect(page.locator('ul.changes li')).toHaveCount(2);
  // Both count for Data & AI: the fix credits Litware's consumption, the person the skilling.
  await expect(row(page, 'data_ai_azure').locator('.after')).toHaveText('72.00');
  await app.screenshot('whatif');

  // Switched off, the fix no longer counts; the real workspace never changed.
  await page.locator('ul.changes li').first().getByRole('checkbox').uncheck();
  await expect(infra.locator('.after')).toHaveText('66.00');
  await expect(row(page, 'data_ai_azure').locator('.after')).toHaveText('62.00');
  await app.nav('Dashboard').click();
  await expect(page.locator('[data-designation="infrastructure_azure"] .score')).toHaveText('66.00');

  // Kept with the workspace across a reload.
  await page.reload();
  await app.nav('What-if').click();
  await expect(page.locator('ul.changes li')).toHaveCount(2);
  await expect(page.locator('ul.changes li').first().getByRole('checkbox')).not.toBeChecked();

  // Apply the switched-on change (the certification), then undo it.
  await page.getByRole('button', { name: /Apply 1 change/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('ul.changes li')).toHaveCount(1);
  await expect(row(page, 'data_ai_azure').locator('.before')).toHaveText('62.00');
  await page.locator('.toast').getByRole('button', { name: 'Undo' }).click();
  await expect(row(page, 'data_ai_azure').locator('.before')).toHaveText('58.00');
  app.expectNoErrors();
});

test('a new customer of a chosen size shows its effect before anything is real', async ({ page }) => {
  const app = new App(page);
  await app.open('#/what-if');
  await page.getByLabel('Customer name').fill('Northwind Traders');
  await page.getByLabel('Counting for').selectOption('infrastructure_azure');
  await page.getByLabel('Size').fill('6000');
  await page.getByRole('button', { name: 'Add to what-if' }).click();
  await expect(page.locator('ul.changes li')).toContainText('New customer Northwind Traders for Infrastructure (Azure): $6,000 a month');
  const infra = row(page, 'infrastructure_azure');
  await expect(infra.locator('.delta')).not.toHaveText('+0.00');
  await app.nav('Customers').click();
  await expect(page.locator('main table.customers tbody tr')).toHaveCount(16);
  app.expectNoErrors();
});
