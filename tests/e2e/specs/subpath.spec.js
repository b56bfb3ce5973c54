// GitHub Pages serves a project under /<repository>/: the same dist/ must work there,
// including a deep link opened directly.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

test('a deep link under a sub-path opens the right page', async ({ page }) => {
  const app = new App(page);
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await app.open('/pcs-workbench/#/customers');
  await expect(app.heading()).toHaveText('Customers');
  await expect(app.nav('Customers')).toHaveAttribute('aria-current', 'page');
  expect(failed).toEqual([]);
  app.expectNoErrors();
});
