// Storage faults: a full quota, corrupted stored data, storage switched off.
// Nothing is lost and the page never goes blank.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';
import { DataPage } from '../pages/data.js';

const DEMO = 'Contoso Cloud — demo self-assessment';

test('a full quota: clear message, work kept in memory, previous save intact', async ({ page }) => {
  const app = new App(page);
  const data = new DataPage(page);
  await data.open();
  await expect(page.locator('.save-state')).toHaveText('Saved in this browser');
  // Fill the rest of this site's localStorage with junk.
  const filled = await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    let i = 0;
    for (let size = chunk.length; size >= 16; ) {
      try { localStorage.setItem(`junk.${i++}`, chunk.slice(0, size)); } catch { size = Math.floor(size / 2); }
    }
    return i;
  });
  expect(filled).toBeGreaterThan(1);

  await data.importFile('tests/data/base.json');
  await data.button('Open as a new workspace').click();
  await expect(page.locator('.save-state')).toContainText("Not saved: the browser's storage for this site is full");
  await expect(page.locator('.save-state').getByRole('link', { name: 'Export a copy' })).toBeVisible();
  await expect(data.workspaceName()).toHaveText('Validation base');
  await app.screenshot('storage-full');

  // The in-memory workspace can still be exported.
  const [download] = await Promise.all([page.waitForEvent('download'), data.button('Export file').click()]);
  expect(download.suggestedFilename()).toBe('Validation base.pcs.json');
  // The last good save is untouched.
  const demo = await page.evaluate(() => JSON.parse(localStorage.getItem('pcs.ws.demo')).name);
  expect(demo).toBe(DEMO);
});

test('corrupted stored data shows a recovery screen, never a blank page', async ({ page }) => {
  const app = new App(page);
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('pcs.active', 'demo');
      localStorage.setItem('pcs.ws.demo', '{"format": "pcs-workbench/workspace", "version": 1, "name": "Half');
      sessionStorage.setItem('seeded', '1');
    }
  });
  await app.open('');
  await expect(app.heading()).toHaveText('Your saved workspace could not be read');
  await expect(page.locator('.recovery')).toContainText('the file ends too early');
  await app.screenshot('recovery');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the stored text' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('pcs-workbench-recovered.txt');
  // The damaged text is still stored until the user chooses.
  expect(await page.evaluate(() => localStorage.getItem('pcs.ws.demo'))).toContain('"name": "Half');

  await page.getByRole('button', { name: 'Start again from the demo' }).click();
  await expect(app.heading()).toHaveText('Dashboard');
  await expect(page.locator('.topbar .ws-name')).toHaveText(DEMO);
  await page.reload();
  await expect(app.heading()).toHaveText('Dashboard');
});

test('storage switched off: the app works in memory and says so', async ({ page }) => {
  const app = new App(page);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  await app.open('#/data');
  await expect(page.locator('.save-state')).toHaveText('Not stored: working in memory');
  await expect(page.locator('.storage-use')).toContainText('your work lives in this tab only');
  const data = new DataPage(page);
  await data.importFile('tests/data/base.json');
  await data.button('Replace the open workspace').click();
  await expect(data.workspaceName()).toHaveText('Validation base');
});
