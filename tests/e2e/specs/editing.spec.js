// Editing journeys: every change re-scores at once and can be undone.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

const card = (page, id) => page.locator(`[data-designation="${id}"]`);

test('fixing a PAL link made with the global ID credits the customer and raises the score', async ({ page }) => {
  const app = new App(page);
  await app.open('#/customers/litware');
  await expect(app.heading()).toHaveText('Litware Inc');
  const synapse = page.locator('.explained > li').filter({ hasText: 'Azure Synapse Analytics' });
  await expect(synapse).toContainText('not counted');
  await expect(synapse).toContainText('linked with the global ID');
  await app.screenshot('customer-before-fix');

  const sam = page.locator('[data-identity="sam-litware"]');
  await sam.getByLabel('PAL partner ID').selectOption('4977985');
  await expect(synapse).toContainText('counted as PAL via sam@contoso.example (Contributor on subscription Litware Analytics)');
  await expect(page.locator('.notice.warning')).not.toContainText('sam@contoso.example is PAL-linked with the global');
  await app.screenshot('customer-after-fix');

  await app.nav('Dashboard').click();
  await expect(card(page, 'infrastructure_azure').locator('.score')).toHaveText('76.00');
  await expect(card(page, 'digital_app_innovation_azure').locator('.score')).toHaveText('72.00');
  // The change can be taken back.
  await page.locator('.topbar').getByRole('button', { name: 'Undo' }).click();
  await expect(card(page, 'infrastructure_azure').locator('.score')).toHaveText('66.00');
  app.expectNoErrors();
});

test('adding a certification raises the skilling points', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  const intermediate = card(page, 'data_ai_azure').locator('.metrics li').filter({ hasText: 'Intermediate certifications' });
  await expect(intermediate).toContainText('8.00/40');

  await app.nav('Skilling').click();
  await expect(page.locator('.steps').first()).toBeVisible();
  const grace = page.locator('[data-person="grace"]');
  await grace.getByLabel('Certification for Grace Hopper').selectOption('azure-data-scientist-associate');
  await grace.getByLabel('Earned date for Grace Hopper').fill('2026-06-15');
  await grace.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(grace).toContainText('Azure Data Scientist Associate');
  await app.screenshot('skilling');

  await app.nav('Dashboard').click();
  await expect(intermediate).toContainText('12.00/40');
  await expect(card(page, 'data_ai_azure').locator('.score')).toHaveText('62.00');
  app.expectNoErrors();
});

test('deleting a customer asks first and can be undone', async ({ page }) => {
  const app = new App(page);
  await app.open('#/customers');
  const rows = page.locator('main table.customers tbody tr');
  await expect(rows).toHaveCount(16);
  await app.screenshot('customers');
  await page.getByRole('link', { name: 'Fourth Coffee' }).click();
  await page.getByRole('button', { name: 'Delete customer…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete customer' }).click();
  await expect(page).toHaveURL(/#\/customers$/);
  await expect(rows).toHaveCount(15);
  await page.locator('.toast').getByRole('button', { name: 'Undo' }).click();
  await expect(rows).toHaveCount(16);
  await page.reload();
  await expect(rows).toHaveCount(16);
});

test('the customer list searches and sorts', async ({ page }) => {
  const app = new App(page);
  await app.open('#/customers');
  await page.getByLabel('Search customers').fill('wood');
  await expect(page.locator('main table.customers tbody tr')).toHaveCount(1);
  await expect(page.locator('main table.customers tbody tr')).toContainText('Woodgrove Bank');
  await page.getByLabel('Search customers').fill('');
  await page.getByRole('button', { name: 'Credited ACR' }).click();
  await expect(page.locator('main table.customers tbody tr').first()).toContainText('Fabrikam Ltd');
});

test('the print view shows the report without the app chrome', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.sidenav')).toBeHidden();
  await expect(page.locator('.card.designation')).toHaveCount(6);
  await app.screenshot('print');
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.length).toBeGreaterThan(10_000);
});

test('the rules page shows the rule set with its sources and the changes between rule sets', async ({ page }) => {
  const app = new App(page);
  await app.open('#/rules');
  await expect(app.heading()).toHaveText('Rules');
  await expect(page.locator('table.matrix')).toContainText('Data & AI (Azure)');
  // Every track of every designation, from the rule data.
  const matrix = page.locator('table.matrix');
  await expect(matrix.locator('tbody')).toHaveCount(6);
  const mwSmb = matrix.locator('tr[data-designation="modern_work"][data-track="smb"]');
  await expect(mwSmb).toHaveCount(3);
  await expect(mwSmb.first().locator('td.yes')).toHaveCount(3); // CSP direct, CSP indirect, CPOR
  await expect(matrix.locator('tr[data-designation="security"][data-track="enterprise"]').first()).toBeVisible();
  await expect(matrix.locator('tr[data-designation="business_applications"][data-track="smb"]').first()).toBeVisible();
  await expect(page.locator('.rules-page')).not.toContainText('First track shown');
  await expect(page.locator('table.rules').first()).toContainText('Learn, Solutions Partner for Data & AI (Azure)');
  await expect(page.locator('.assumption-group').first()).toContainText('zero baseline');
  // The 2026-11 assumptions are grouped per designation, one sentence each.
  await expect(page.locator('.assumption-group').filter({ has: page.getByRole('heading', { name: 'Security', exact: true }) })).toContainText('at least $12,000.01');
  await app.screenshot('rules', { fullPage: false });
  await page.getByRole('navigation', { name: 'On this page' }).getByRole('button', { name: 'Assumptions (9)' }).click();
  await expect(page.locator('#assumptions')).toBeInViewport();
  await app.screenshot('rules-assumptions', { fullPage: false });
  // The changelog is generated from the two rule sets: catalogues, then metric rules.
  const changes = page.locator('.what-changed[data-from="2023-10"][data-to="2026-11"]');
  await expect(changes.locator('.change-area[data-area="certifications"]')).toContainText('GitHub Copilot');
  await expect(changes.locator('.change-area[data-area="retirements"]')).toContainText('retires 2026-06-30, counts until 2027-06-30');
  await expect(changes.locator('.change-area[data-area="badges"]')).toContainText('Cloud & AI Platforms');
  const security = changes.locator('details.change-designation[data-designation="Security"]');
  await security.locator('summary').click();
  const prerequisite = security.locator('tr').filter({ hasText: 'step 1 (prerequisite)' }).filter({ hasText: 'Enterprise' });
  await expect(prerequisite.locator('td.after')).toContainText('Cloud and AI Security Engineer Associate');
  await expect(prerequisite.locator('td.after .head')).toHaveText('at least 2 people holding');
  const dai = changes.locator('details.change-designation[data-designation="Data & AI (Azure)"]');
  await dai.locator('summary').click();
  await expect(dai.locator('tr').filter({ hasText: 'credited ACR in M or M-1' })).toContainText('$500');
  await page.getByRole('navigation', { name: 'On this page' }).getByRole('button', { name: 'What changed' }).click();
  await expect(changes.locator('h2')).toBeInViewport();
  await app.screenshot('rules-changes', { fullPage: false });
  await security.scrollIntoViewIfNeeded();
  await app.screenshot('rules-changes-security', { fullPage: false });
  app.expectNoErrors();
});

test('the associations page shows the matrix, the claims board and the CUA registry', async ({ page }) => {
  const app = new App(page);
  await app.open('#/associations');
  await expect(app.heading()).toHaveText('Associations');
  const litware = page.locator('table.assoc-matrix tr').filter({ hasText: 'Litware Inc' });
  await expect(litware.locator('.cell.broken')).toHaveCount(1);
  await expect(page.locator('.board')).toContainText('Partner action required');
  await expect(page.locator('.board')).toContainText('answer by 2026-11-30');
  await expect(page.locator('main')).toContainText('not attributed: registered after the deployment');
  await app.screenshot('associations');
  app.expectNoErrors();
});

test('the dark theme is remembered', async ({ page }) => {
  const app = new App(page);
  await app.open('');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.screenshot('dashboard-dark', { fullPage: false });
});

test('recording a claim approval credits the workloads and is checked for date order', async ({ page }) => {
  const app = new App(page);
  await app.open('#/customers/wide-world');
  const claim = page.locator('[data-claim="claim-d365"]');
  await expect(claim).toContainText('partner action required 2026-11-10');
  // A date before the previous status is refused with the path.
  await claim.getByLabel('New status for claim claim-d365').selectOption('approved');
  await claim.getByLabel('Date of the status for claim claim-d365').fill('2026-10-20');
  await claim.getByRole('button', { name: 'Record' }).click();
  await expect(claim.locator('.notice.error')).toContainText('customers[6].cpor[0].history[4].on');
  // The approval comes in November: evaluate November, then record it after the previous status.
  await app.nav('Dashboard').click();
  await page.getByLabel('As of month').fill('2026-11');
  await page.getByLabel('As of month').dispatchEvent('change');
  await page.goto('#/customers/wide-world');
  await claim.getByLabel('New status for claim claim-d365').selectOption('approved');
  await claim.getByLabel('Date of the status for claim claim-d365').fill('2026-11-18');
  await claim.getByRole('button', { name: 'Record' }).click();
  await expect(claim).toContainText('approved 2026-11-18');
  const sales = page.locator('.explained > li').filter({ hasText: 'Dynamics 365 Sales' });
  await expect(sales).toContainText('counted as CPOR: claim claim-d365 approved since 2026-11-18');
});
