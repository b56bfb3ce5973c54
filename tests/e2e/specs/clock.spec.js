// Time is a parameter: the browser's clock is pinned for every spec (pages/test.js), and a
// claim deadline that passes turns into a finding the dashboard counts and explains.
import { test, expect, DEMO_TODAY } from '../pages/test.js';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from '../pages/app.js';

test('every spec runs on the pinned clock', async ({ page }) => {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const direct = readdirSync(dir)
    .filter((f) => f.endsWith('.spec.js'))
    .filter((f) => /from '@playwright\/test'/.test(readFileSync(`${dir}/${f}`, 'utf8')));
  expect(direct, 'specs importing @playwright/test directly (use ../pages/test.js)').toEqual([]);
  await page.goto('');
  const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
  expect(today).toBe(DEMO_TODAY.slice(0, 10));
});

test.describe('after the demo claim deadline', () => {
  test.use({ today: '2026-12-01T10:00:00' });

  test('the passed deadline is a finding, and the demo says how it is dated', async ({ page }) => {
    const app = new App(page);
    await app.open('');
    await expect(page.locator('.findings-strip')).toContainText('4 to fix');
    const dated = page.locator('.data-dated');
    await expect(dated).toContainText('This demo is dated 2026-10');
    await expect(dated).toContainText('judged as of today, 2026-12-01');

    await app.nav('Findings').click();
    await page.getByLabel('Severity').selectOption('error');
    await expect(page.locator('.finding')).toHaveCount(4);
    const claim = page.locator('.finding[data-code="cpor.partner_action_required"]');
    await expect(claim).toContainText('needed your action by 2026-11-30');
    await expect(claim).toContainText('the deadline has passed');
    app.expectNoErrors();
  });
});

test('before the deadline the demo needs no dating note', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await expect(page.locator('.findings-strip')).toContainText('3 to fix');
  await expect(page.locator('.data-dated')).toHaveCount(0);
  const claim = page.locator('.finding[data-code="cpor.partner_action_required"]');
  await app.nav('Findings').click();
  await expect(claim).toContainText('6 business days left');
});

test.describe('a month before a retired certification stops counting', () => {
  test.use({ today: '2027-06-15T10:00:00' });

  test('the skilling page warns and the findings name the person', async ({ page }) => {
    const app = new App(page);
    await app.open('#/skilling');
    const omar = page.locator('.person').filter({ hasText: 'Omar Haddad' });
    const badge = omar.locator('.retirement');
    await expect(badge).toHaveText('retires on 2026-06-30, counts until 2027-06-30: plan the replacement');
    await expect(badge).toHaveClass(/warn/);
    // One still counting for longer is shown, not warned about.
    const priya = page.locator('.person').filter({ hasText: 'Priya Raman' }).locator('.retirement');
    await expect(priya).toHaveText('retires on 2026-11-30, counts until 2027-11-30');
    await expect(priya).toHaveClass(/info/);
    await omar.scrollIntoViewIfNeeded();
    await app.screenshot('skilling-retirement', { fullPage: false });
    await app.nav('Findings').click();
    const retiring = page.locator('.finding[data-code="cert.retiring"]').filter({ hasText: 'Omar Haddad' });
    await expect(retiring).toContainText('2027-06-30');
    app.expectNoErrors();
  });
});
