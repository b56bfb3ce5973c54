// Two tabs on the same workspace: a save in one is noticed in the other, which offers to
// reload instead of overwriting; no update is lost in either direction.
import { test, expect } from '../pages/test.js';
import { App } from '../pages/app.js';

const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('pcs.ws.demo')));

test('a change in one tab is offered to the other, never overwritten silently', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  const appA = new App(a);
  const appB = new App(b);
  await appA.open('');
  await appB.open('');

  // Tab A switches the rule set; tab B is told and stops saving.
  await a.getByLabel('Rule set').selectOption('2023-10');
  await expect(a.locator('.save-state')).toHaveText('Saved in this browser');
  await expect(b.locator('.external')).toContainText('changed in another tab');

  // Tab B edits meanwhile: its change must not overwrite A's.
  await b.getByLabel('As of month').fill('2026-09');
  await b.getByLabel('As of month').dispatchEvent('change');
  await b.waitForTimeout(600);
  expect((await stored(b)).rules).toBe('2023-10');
  expect((await stored(b)).as_of).toBe('2026-10');

  // B takes A's version.
  await b.getByRole('button', { name: "Load the other tab's version" }).click();
  await expect(b.locator('.ws-meta')).toContainText('rules 2023-10');
  await expect(b.locator('.external')).toHaveCount(0);

  // And the other direction: B changes, A is told; A keeps its own on purpose.
  await b.getByLabel('Rule set').selectOption('2026-11');
  await expect(a.locator('.external')).toBeVisible();
  expect((await stored(a)).rules).toBe('2026-11');
  await a.getByRole('button', { name: 'Keep this version' }).click();
  await expect.poll(async () => (await stored(a)).rules).toBe('2023-10');
  await appA.screenshot('two-tabs', { fullPage: false });
});
