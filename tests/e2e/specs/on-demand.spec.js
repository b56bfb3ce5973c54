// The demo and the workshop's scenarios are files next to the page, fetched when first
// needed (they are not part of the first load), once; a file that does not arrive is said,
// never a blank page or a silent gap.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';
import { DataPage } from '../pages/data.js';

const DEMO = 'Contoso Cloud — demo self-assessment';
const TITLE = 'Competing CPOR claims';

/** The paths of the requests for the files shipped on demand, in the order made. */
function onDemandRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('/demo.json') || path.includes('/scenarios/')) seen.push(path.replace(/^.*\//, ''));
  });
  return seen;
}

test('the demo is fetched at a first start, the scenarios when the workshop opens, each once', async ({ page }) => {
  const seen = onDemandRequests(page);
  const app = new App(page);
  await app.open('');
  await expect(page.locator('.topbar .ws-name')).toHaveText(DEMO);
  await expect(page.locator('[data-designation="infrastructure_azure"] .score')).toHaveText('66.00');
  expect(seen).toEqual(['demo.json']);

  await app.nav('Workshop').click();
  await expect(page.locator('.scenario-card')).toHaveCount(14);
  await expect(page.locator('.loading-scenarios')).toHaveCount(0);
  // Every shipped file, in teaching order on the page.
  expect(seen.length).toBe(15);
  await expect(page.locator('.scenario-card').first()).toHaveAttribute('data-scenario', 'pal-global-id');
  await expect(page.locator('.scenario-card').last()).toHaveAttribute('data-scenario', 'competitor-dpor');

  // Back and forth, a reset to the demo and a new workspace from it: nothing fetched again.
  await app.nav('Dashboard').click();
  await app.nav('Workshop').click();
  await expect(page.locator('.scenario-card')).toHaveCount(14);
  const data = new DataPage(page);
  await app.nav('Data').click();
  await data.button('New workspace from the demo').click();
  await expect(page.locator('.toast')).toContainText(`Opened "${DEMO}" as a new workspace.`);
  await data.button('Reset to demo…').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset to demo' }).click();
  await expect(page.locator('.toast')).toContainText('The workspace was reset to the demo.');
  expect(seen.length).toBe(15);

  // A stored workspace opens without the demo; a deep link to a scenario waits for it.
  seen.length = 0;
  await page.goto('#/workshop/competing-cpor-claims');
  await page.reload();
  await expect(app.heading()).toHaveText(TITLE);
  expect(seen.length).toBe(14);
  expect(seen).not.toContain('demo.json');
  app.expectNoErrors();
});

test('a demo that does not arrive leaves an empty workspace and says why', async ({ page }) => {
  await page.route('**/demo.json', (route) => route.fulfill({ status: 503, body: 'unavailable' }));
  const app = new App(page);
  await page.goto('');
  await expect(page.locator('.toast')).toContainText('The demo could not be loaded (demo.json could not be fetched: the server answered 503)');
  await expect(page.locator('.topbar .ws-name')).toHaveText('My workspace');
  await expect(app.heading()).toBeVisible();
  // The top bar does not claim a save that did not happen.
  await expect(page.locator('.save-state')).toHaveText('Not stored yet');
  await app.screenshot('demo-missing');
  // Nothing was stored: the next start tries the demo again, and gets it.
  expect(await page.evaluate(() => localStorage.getItem('pcs.ws.demo'))).toBeNull();
  await page.unroute('**/demo.json');
  await page.reload();
  await expect(page.locator('.topbar .ws-name')).toHaveText(DEMO);
});

test('a scenario that does not arrive is named, the others shown, and trying again brings it', async ({ page }) => {
  let fail = true;
  await page.route('**/scenarios/trial-subscription.json', (route) =>
    fail ? route.fulfill({ status: 404, body: 'not found' }) : route.continue());
  const app = new App(page);
  await app.open('#/workshop');
  const problem = page.locator('.notice.error');
  await expect(problem).toContainText('Some scenarios could not be loaded');
  await expect(problem).toContainText('scenarios/trial-subscription.json could not be fetched: the server answered 404');
  await expect(page.locator('.scenario-card')).toHaveCount(13);
  await expect(page.locator('[data-scenario="trial-subscription"]')).toHaveCount(0);
  await app.screenshot('workshop-scenario-missing');

  fail = false;
  await problem.getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('.scenario-card')).toHaveCount(14);
  await expect(page.locator('.notice.error')).toHaveCount(0);
  await expect(page.locator('.scenario-card').nth(7)).toHaveAttribute('data-scenario', 'trial-subscription');
});
