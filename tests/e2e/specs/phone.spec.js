// On a phone (390 × 844): no page is wider than the screen, the navigation folds behind a
// menu button, tables scroll inside their own box.
import { test, expect } from '../pages/test.js';
import { App, DEMO_PAGES } from '../pages/app.js';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** The elements sticking out on the right, for a readable failure. */
const overflow = (page) => page.evaluate(() => {
  const width = window.innerWidth;
  const wide = document.documentElement.scrollWidth;
  const culprits = wide <= width ? [] : [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.closest('.table, pre'))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`);
  return { width, wide, culprits };
});

test('no page is wider than a phone', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  const wide = [];
  for (const path of DEMO_PAGES) {
    await app.open(path);
    const o = await overflow(page);
    if (o.wide > o.width) wide.push({ path, ...o });
  }
  expect(wide).toEqual([]);
  for (const [path, name] of [['', 'phone-dashboard'], ['#/customers/fabrikam', 'phone-customer'],
    ['#/findings', 'phone-findings'], ['#/rules', 'phone-rules']]) {
    await app.open(path);
    await app.screenshot(name, { fullPage: false });
  }
  app.expectNoErrors();
});

test('the navigation opens from the menu button and closes on navigating', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav).toBeVisible();
  await app.screenshot('phone-menu', { fullPage: false });
  await app.nav('Findings').click();
  await expect(app.heading()).toHaveText('Findings');
  await expect(nav).toBeHidden();
  // A wide table scrolls inside its box; the page itself does not.
  await app.open('#/rules');
  const matrix = page.locator('table.matrix');
  const { inner, outer } = await matrix.evaluate((t) => ({ inner: t.scrollWidth, outer: t.clientWidth }));
  expect(inner).toBeGreaterThan(outer);
  expect((await overflow(page)).wide).toBeLessThanOrEqual(390);
  app.expectNoErrors();
});
