// Creating and editing records; hostile text renders as text; nothing leaves the machine.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';
import { DataPage } from '../pages/data.js';

test('a new customer is created from the form and opens on its page', async ({ page }) => {
  const app = new App(page);
  await app.open('#/customers');
  await page.getByRole('button', { name: 'Add a customer' }).click();
  await page.getByLabel('Customer name').fill('Northridge Foods');
  await page.getByLabel('Tenant ID').fill('12345678-aaaa-4bbb-8ccc-1234567890ab');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/#\/customers\/northridge-foods$/);
  await expect(app.heading()).toHaveText('Northridge Foods');
  // A bad tenant ID is refused with its path.
  await app.nav('Customers').click();
  await page.getByRole('button', { name: 'Add a customer' }).click();
  await page.getByLabel('Customer name').fill('Bad Tenant');
  await page.getByLabel('Tenant ID').fill('not-a-guid');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('.notice.error')).toContainText('customers[17].tenant_id');
  app.expectNoErrors();
});

test('editing a record as JSON is validated like an import', async ({ page }) => {
  const app = new App(page);
  await app.open('#/customers/fabrikam');
  const editor = page.locator('.json-editor').first();
  await editor.locator('summary').click();
  const text = editor.locator('textarea');
  const json = JSON.parse(await text.inputValue());
  json.subscriptions[0].offer = 'ea';
  await text.fill(JSON.stringify(json, null, 2));
  await editor.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('.json-editor .notice.error')).toContainText('customers[0].subscriptions[0].offer');
  await expect(page.locator('.json-editor .notice.error')).toContainText('did you mean "enterprise_agreement"?');
  json.subscriptions[0].offer = 'enterprise_agreement';
  json.name = 'Fabrikam Group';
  await text.fill(JSON.stringify(json, null, 2));
  await editor.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(app.heading()).toHaveText('Fabrikam Group');
});

test('names with HTML or script render as text everywhere', async ({ page }) => {
  const app = new App(page);
  const data = new DataPage(page);
  const payload = '<img src=x onerror="window.__pwned=1">';
  await data.open();
  const editor = page.locator('.json-editor').first();
  await editor.locator('summary').click();
  const text = editor.locator('textarea');
  const partner = JSON.parse(await text.inputValue());
  partner.name = payload;
  await text.fill(JSON.stringify(partner));
  await editor.getByRole('button', { name: 'Save', exact: true }).click();
  await page.goto('#/customers/fourth-coffee');
  await expect(page.locator('.explained')).toContainText(`no identity of ${payload} is PAL-linked`);
  await page.goto('#/findings');
  await expect(page.locator('main')).toContainText(payload);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(await page.locator('main img').count()).toBe(0);

  // The same payload in a customer's name through its form, and in the print view.
  await page.goto('#/customers/fourth-coffee');
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.locator('form.record-form').getByLabel('Name').fill(`Fourth ${payload}`);
  await page.locator('form.record-form').getByRole('button', { name: 'Save', exact: true }).click();
  await expect(app.heading()).toHaveText(`Fourth ${payload}`);
  await page.emulateMedia({ media: 'print' });
  await page.goto('#/findings');
  await expect(page.locator('main')).toContainText(`Fourth ${payload}`);
  await page.emulateMedia({ media: 'screen' });
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(await page.locator('main img').count()).toBe(0);

  // The exported file carries the text as JSON text, nothing else.
  await data.open();
  const [download] = await Promise.all([page.waitForEvent('download'), data.button('Export file').click()]);
  const exported = JSON.parse(await (await import('fs')).promises.readFile(await download.path(), 'utf8'));
  expect(exported.partner.name).toBe(payload);
  expect(exported.customers.find((c) => c.id === 'fourth-coffee').name).toBe(`Fourth ${payload}`);
  app.expectNoErrors();
});

test('a whole session makes no request beyond the app\'s own files', async ({ page, baseURL }) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const app = new App(page);
  await app.open('');
  for (const nav of ['Customers', 'Associations', 'Skilling', 'Findings', 'What-if', 'Workshop', 'Rules', 'Data', 'Dashboard']) {
    await app.nav(nav).click();
    await expect(app.heading()).toBeVisible();
  }
  // A workshop exercise, explored and left.
  await page.goto('#/workshop/trial-subscription');
  const q = page.locator('[data-exercise="trial"]');
  await q.getByLabel('none', { exact: true }).check();
  await q.getByRole('button', { name: 'Check' }).click();
  await expect(q.locator('.feedback')).toHaveClass(/right/);
  await page.getByRole('button', { name: "Explore this scenario's workspace" }).click();
  await page.getByRole('button', { name: 'Back to my workspace' }).click();
  await page.goto('#/customers/litware');
  await page.locator('[data-identity="sam-litware"]').getByLabel('PAL partner ID').selectOption('4977985');
  await page.goto('#/designations/data_ai_azure');
  await page.getByRole('button', { name: 'Plan the shortest path' }).click();
  await expect(page.locator('.plan-result')).toBeVisible();
  const data = new DataPage(page);
  await data.open();
  await data.importFile('tests/data/base.json');
  await data.button('Open as a new workspace').click();
  const [download] = await Promise.all([page.waitForEvent('download'), data.button('Export file').click()]);
  expect(download.suggestedFilename()).toBe('Validation base.pcs.json');
  const origin = new URL(baseURL).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(foreign).toEqual([]);
  expect(requests.length).toBeGreaterThan(3);
  console.log(`privacy: ${requests.length} requests observed, ${foreign.length} to another origin`);
});

test('a strict Content-Security-Policy is in force and nothing violates it', async ({ page }) => {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const app = new App(page);
  await app.open('');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  for (const nav of ['Customers', 'Associations', 'Findings', 'Rules', 'Dashboard']) {
    await app.nav(nav).click();
    await expect(app.heading()).toBeVisible();
  }
  expect(await page.evaluate(() => window.__violations)).toEqual([]);
  // A script from elsewhere is refused.
  const blocked = await page.evaluate(() => new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = 'https://example.invalid/x.js';
    document.addEventListener('securitypolicyviolation', () => resolve(true), { once: true });
    s.onload = () => resolve(false);
    document.head.appendChild(s);
    setTimeout(() => resolve('timeout'), 3000);
  }));
  expect(blocked).toBe(true);
});
