// The app loads, shows its title and navigation, and routes.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

test('loads with title and navigation and no console error', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await expect(page).toHaveTitle('PCS Workbench');
  await expect(page.locator('.brand')).toContainText('PCS Workbench');
  await expect(app.nav('Dashboard')).toHaveAttribute('aria-current', 'page');
  await expect(app.heading()).toHaveText('Dashboard');
  await app.screenshot('shell');
  app.expectNoErrors();
});

test('navigating changes the route and the highlighted link', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await app.nav('Customers').click();
  await expect(page).toHaveURL(/#\/customers$/);
  await expect(app.heading()).toHaveText('Customers');
  await expect(app.nav('Customers')).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(app.heading()).toHaveText('Dashboard');
  app.expectNoErrors();
});

test('an unknown route shows a helpful page, not a blank one', async ({ page }) => {
  const app = new App(page);
  await app.open('#/no/such/page');
  await expect(app.heading()).toHaveText('Page not found');
  await page.getByRole('link', { name: 'Go to the dashboard' }).click();
  await expect(app.heading()).toHaveText('Dashboard');
});
