// Every control is labelled on every page, and the app works at tablet width.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

const PAGES = ['', '#/customers', '#/customers/fabrikam', '#/associations', '#/skilling', '#/findings',
  '#/rules', '#/data', '#/designations/security'];

test('every button, input, select and link has an accessible name', async ({ page }) => {
  const app = new App(page);
  for (const path of PAGES) {
    await app.open(path);
    await expect(app.heading()).toBeVisible();
    const unnamed = await page.evaluate(() => {
      const name = (el) => (el.getAttribute('aria-label') || (el.labels && [...el.labels].map((l) => l.textContent).join(' ')) ||
        el.getAttribute('title') || el.textContent || el.getAttribute('placeholder') || '').trim();
      return [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href]')]
        .filter((el) => el.offsetParent !== null || el.type === 'file')
        .filter((el) => !name(el))
        .map((el) => el.outerHTML.slice(0, 120));
    });
    expect(unnamed, `unlabelled controls on ${path || 'the dashboard'}`).toEqual([]);
  }
  app.expectNoErrors();
});

test('the app works at tablet width', async ({ page }) => {
  await page.setViewportSize({ width: 820, height: 1180 });
  const app = new App(page);
  await app.open('');
  await expect(page.locator('.card.designation')).toHaveCount(6);
  await app.nav('Customers').click();
  await expect(app.heading()).toHaveText('Customers');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await app.open('');
  await app.screenshot('tablet', { fullPage: false });
});
