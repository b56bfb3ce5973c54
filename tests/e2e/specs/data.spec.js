// Workspace data in the browser: first start, export, import (valid and invalid),
// reload, reset with undo, several workspaces.
import { test, expect } from '../pages/test.js';
import { readFileSync } from 'node:fs';
import { App } from '../pages/app.js';
import { DataPage, repoFile } from '../pages/data.js';

const DEMO = 'Contoso Cloud — demo self-assessment';

test('first start opens the demo and keeps it in the browser', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await expect(page.locator('.topbar .ws-name')).toHaveText(DEMO);
  await expect(page.locator('.save-state')).toHaveText('Saved in this browser');
  const stored = await page.evaluate(() => localStorage.getItem('pcs.ws.demo'));
  expect(JSON.parse(stored).name).toBe(DEMO);
  app.expectNoErrors();
});

test('export downloads the workspace as <name>.pcs.json', async ({ page }) => {
  const data = new DataPage(page);
  await data.open();
  const [download] = await Promise.all([page.waitForEvent('download'), data.button('Export file').click()]);
  expect(download.suggestedFilename()).toBe(`${DEMO}.pcs.json`);
  const text = readFileSync(await download.path(), 'utf8');
  expect(text).toBe(readFileSync(repoFile('src/data/demo.json'), 'utf8'));
});

test('a valid file replaces the workspace, and survives a reload', async ({ page }) => {
  const app = new App(page);
  const data = new DataPage(page);
  await data.open();
  await data.importFile('tests/data/base.json');
  await expect(page.locator('.import-ready')).toContainText('base.json is a valid workspace.');
  await expect(page.locator('.import-ready')).toContainText('2 customers, 2 subscriptions, 1 usage line, 2 identities, 2 claims, 1 person');
  await data.button('Replace the open workspace').click();
  await expect(data.workspaceName()).toHaveText('Validation base');
  await app.screenshot('data-imported');

  await page.goto('#/customers');
  await expect(page.locator('main tbody tr')).toHaveCount(2);
  await expect(page.locator('main tbody')).toContainText('Woodgrove Bank');

  await page.reload();
  await expect(data.workspaceName()).toHaveText('Validation base');
  await expect(page.locator('main tbody tr')).toHaveCount(2);
  app.expectNoErrors();
});

test('an invalid file lists every error and leaves the workspace untouched', async ({ page }) => {
  const app = new App(page);
  const data = new DataPage(page);
  await data.open();
  await data.importFile('tests/data/invalid/unknown-offer.json');
  await expect(data.errors()).toContainText('unknown-offer.json was not imported: 1 problem found.');
  await expect(data.errors()).toContainText('customers[0].subscriptions[0].offer');
  await expect(data.errors()).toContainText('did you mean "enterprise_agreement"?');
  await expect(data.workspaceName()).toHaveText(DEMO);

  await data.importFile('tests/data/invalid/malformed-json.json');
  await expect(data.errors()).toContainText('line 3, column 16');
  await app.screenshot('data-import-errors');

  await page.reload();
  await expect(data.workspaceName()).toHaveText(DEMO);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('pcs.ws.demo')).customers.length);
  expect(stored).toBe(16);
});

test('reset to demo asks first and can be undone', async ({ page }) => {
  const data = new DataPage(page);
  await data.open();
  await data.importFile('tests/data/base.json');
  await data.button('Replace the open workspace').click();
  await expect(data.workspaceName()).toHaveText('Validation base');

  await data.button('Reset to demo…').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Reset to the demo?');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(data.workspaceName()).toHaveText('Validation base');

  await data.button('Reset to demo…').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset to demo' }).click();
  await expect(data.workspaceName()).toHaveText(DEMO);
  await page.locator('.toast').getByRole('button', { name: 'Undo' }).click();
  await expect(data.workspaceName()).toHaveText('Validation base');
  await page.reload();
  await expect(data.workspaceName()).toHaveText('Validation base');
});

test('several workspaces: open one beside the other, switch, delete with undo', async ({ page }) => {
  const data = new DataPage(page);
  await data.open();
  await data.importFile('tests/data/base.json');
  await data.button('Open as a new workspace').click();
  await expect(data.workspaceName()).toHaveText('Validation base');
  const rows = page.locator('main table tbody tr');
  await expect(rows).toHaveCount(2);

  await rows.filter({ hasText: DEMO }).getByRole('button', { name: 'Open' }).click();
  await expect(data.workspaceName()).toHaveText(DEMO);

  await page.getByRole('button', { name: 'Delete Validation base' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(rows).toHaveCount(1);
  await page.locator('.toast').getByRole('button', { name: 'Undo' }).click();
  await expect(rows).toHaveCount(2);
  await expect(data.workspaceName()).toHaveText('Validation base');
});
