// An automated accessibility check: axe-core on every page of the demo and of a workshop
// scenario's workspace. Serious and critical violations fail; minor ones are listed.
import { test, expect } from '../pages/test.js';
import { App, DEMO_PAGES } from '../pages/app.js';
import { fileURLToPath } from 'node:url';

const AXE = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));


// The app's strict CSP forbids injected scripts: lifted for this spec only, to inject axe.
test.use({ bypassCSP: true });

async function audit(page, where, found) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const blocking = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.filter((x) => !blocking.includes(x))) {
    console.log(`axe (${v.impact}) on ${where}: ${v.id} — ${v.help} — ${v.nodes.join(', ')}`);
  }
  found.push(...blocking.map((v) => ({ where, ...v })));
}

test('no serious or critical axe violation on any page of the demo, light and dark', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  const found = [];
  for (const theme of ['light', 'dark']) {
    await app.open('');
    if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click();
    for (const path of DEMO_PAGES) {
      await app.open(path);
      await expect(app.heading()).toBeVisible();
      await audit(page, `${path || '#/'} (${theme})`, found);
    }
  }
  expect(found, 'serious or critical accessibility violations').toEqual([]);
  app.expectNoErrors();
});

test('no serious or critical axe violation while exploring a workshop scenario', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  await app.open('#/workshop/competitor-dpor');
  await page.getByRole('button', { name: "Explore this scenario's workspace" }).click();
  await expect(page.locator('.scenario-banner')).toBeVisible();
  const found = [];
  for (const path of ['', '#/customers', '#/customers/litware', '#/reconciliation', '#/findings', '#/designations/data_ai_azure']) {
    await page.goto(path);
    await expect(app.heading()).toBeVisible();
    await expect(page.locator('.scenario-banner')).toBeVisible();
    await audit(page, `scenario ${path || '#/'}`, found);
  }
  expect(found, 'serious or critical accessibility violations').toEqual([]);
  app.expectNoErrors();
});
