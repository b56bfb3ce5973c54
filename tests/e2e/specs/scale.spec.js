// A 500-customer workspace (8 MB, from `pcs generate`, written by scripts/test.sh) imports in
// the browser with progress, is stored within the browser's quota (deflated), and survives a reload.
import { test, expect } from '../pages/test.js';
import { existsSync } from 'node:fs';
import { App } from '../pages/app.js';
import { DataPage, repoFile } from '../pages/data.js';

const MEDIUM = 'target/e2e-medium.json';

test('a 500-customer workspace imports, saves within the quota and reopens', async ({ page }) => {
  test.setTimeout(60_000);
  expect(existsSync(repoFile(MEDIUM)), `${MEDIUM} is written by scripts/test.sh`).toBe(true);
  const app = new App(page);
  const data = new DataPage(page);
  await app.open('');
  await data.open();
  await data.importFile(MEDIUM);
  await expect(page.locator('.import-progress, .import-ready').first()).toBeVisible();
  await app.screenshot('import-progress', { fullPage: false });
  // The customers are prepared for scoring a few per task before the switch: the top bar
  // says so (recorded as it appears; it lasts a few frames), then the new workspace opens.
  await page.evaluate(() => {
    window.__preparing = [];
    new MutationObserver(() => {
      const s = document.querySelector('.preparing-state');
      if (s && window.__preparing.at(-1) !== s.textContent) window.__preparing.push(s.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await data.button('Open as a new workspace').click({ timeout: 30_000 });
  await expect(data.workspaceName()).toHaveText('Synthetic partner — 500 customers (seed 1)');
  await expect(page.locator('.preparing-state')).toHaveCount(0);
  const seen = await page.evaluate(() => window.__preparing);
  expect(seen[0]).toMatch(/^Scoring 500 customers… \d+ %$/);
  expect(seen.length, `progress shown: ${seen.join(' | ')}`).toBeGreaterThan(2);
  await expect(page.locator('.save-state')).toHaveText(/Saved in this browser/, { timeout: 20_000 });
  // Stored deflated: well within the quota.
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('pcs.ws.'))
    .map((k) => [k, localStorage.getItem(k).length, localStorage.getItem(k).slice(0, 6)]));
  const big = stored.find(([, n]) => n > 100_000);
  expect(big[2]).toBe('pcsz1:');
  expect(big[1]).toBeLessThan(2_000_000);

  // Reopening: the stored workspace is read and prepared a slice per task after the first
  // paint, the page saying so, then shown; it is not written again.
  await page.addInitScript(() => {
    window.__opening = [];
    const seen = () => {
      const s = document.querySelector('.opening');
      const text = s && `${s.querySelector('h1').textContent} | ${s.querySelector('.lead').textContent}`;
      if (text && window.__opening.at(-1) !== text) window.__opening.push(text);
    };
    document.addEventListener('DOMContentLoaded', () => new MutationObserver(seen)
      .observe(document.body, { subtree: true, childList: true, characterData: true }));
  });
  const body = await page.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('pcs.ws.') && localStorage.getItem(k).length > 100_000)));
  await page.reload();
  await expect(data.workspaceName()).toHaveText('Synthetic partner — 500 customers (seed 1)');
  await expect(page.locator('.opening')).toHaveCount(0);
  await expect(page.locator('.topbar .ws-meta')).toContainText('rules 2026-11');
  const opening = await page.evaluate(() => window.__opening);
  expect(opening[0]).toBe('Opening Synthetic partner — 500 customers (seed 1) | Reading it from this browser…');
  expect(opening).toContain('Opening Synthetic partner — 500 customers (seed 1) | Scoring its customers…');
  await page.waitForTimeout(1500);
  await expect(page.locator('.save-state')).toHaveText(/Saved in this browser/);
  expect(await page.evaluate((b) => Object.values(localStorage).includes(b), body), 'stored as it was').toBe(true);
  await app.nav('Customers').click();
  await expect(page.locator('.lead')).toContainText('500 customers');
  // Listed 100 at a time: more on demand, and a search looks through all of them.
  const rows = page.locator('main table.customers tbody tr');
  await expect(rows).toHaveCount(100);
  await expect(page.locator('.list-more')).toContainText('Showing 100 of 500 customers');
  await page.locator('.list-more').scrollIntoViewIfNeeded();
  await app.screenshot('customers-500-more', { fullPage: false });
  for (const n of [200, 300, 400, 500]) {
    await page.getByRole('button', { name: 'Show 100 more' }).click();
    await expect(rows).toHaveCount(n);
  }
  await expect(page.locator('.list-more')).toHaveCount(0);
  await page.getByLabel('Search customers').fill('Alpine Inc 367');
  await expect(rows).toHaveCount(1);
  await rows.getByRole('link', { name: 'Alpine Inc 367' }).click();
  await expect(app.heading()).toHaveText('Alpine Inc 367');
  // Each of its 52 usage lines explained, from the preparation the dashboard kept.
  await expect(page.locator('main ul.explained').first().locator(':scope > li')).toHaveCount(52);
  await app.nav('Dashboard').click();
  await expect(page.locator('[data-designation]')).toHaveCount(6);
  await app.screenshot('dashboard-500');
  // Another rule set: prepared in steps too, then every card re-scored under it.
  const before = await page.locator('[data-designation] .score').allTextContents();
  await page.getByLabel('Rule set').selectOption('2023-10');
  await expect(page.locator('.topbar .ws-meta')).toContainText('rules 2023-10');
  await expect(page.locator('.preparing-state')).toHaveCount(0);
  await expect(page.locator('[data-designation]')).toHaveCount(6);
  expect(await page.locator('[data-designation] .score').allTextContents()).not.toEqual(before);
  // A designation page: each metric card lists 25 contributors, then 200 more at each ask,
  // and draws what does not count when that list is opened.
  await page.locator('[data-designation="data_ai_azure"] h2 a').click();
  await expect(app.heading()).toHaveText('Data & AI (Azure)');
  const card = page.locator('.metric-card').filter({ has: page.locator('.list-more') }).first();
  const more = card.locator('.list-more');
  const [, total] = (await more.locator('.muted').textContent()).match(/^25 of (\d+) contributors$/).map(Number);
  expect(total).toBeGreaterThan(25);
  await expect(card.locator('tbody tr')).toHaveCount(25);
  await more.scrollIntoViewIfNeeded();
  await app.screenshot('designation-500-more', { fullPage: false });
  await more.getByRole('button', { name: `Show ${Math.min(200, total - 25)} more` }).click();
  await expect(card.locator('tbody tr')).toHaveCount(Math.min(225, total));
  const notCounted = page.locator('.metric-card .not-counted').first();
  await expect(notCounted.locator('li')).toHaveCount(0);
  const [, excluded] = (await notCounted.locator('summary').textContent()).match(/^Not counted \((\d+)\)$/).map(Number);
  await notCounted.locator('summary').click();
  await expect(notCounted.locator('li')).toHaveCount(Math.min(200, excluded));
  app.expectNoErrors();
});

// A Partner Center Azure usage download of 212,781 rows (41 MB, from `pcs generate --azure-usage`,
// written by scripts/test.sh) imports a few thousand rows at a time: progress shows, the page
// answers a click meanwhile, and the preview and the dashboard follow.
const LARGE_A1 = 'target/e2e-a1-large.csv';

test('a 200,000-row Azure usage download imports with progress while the page keeps answering', async ({ page }) => {
  test.setTimeout(180_000);
  expect(existsSync(repoFile(LARGE_A1)), `${LARGE_A1} is written by scripts/test.sh`).toBe(true);
  const app = new App(page);
  await app.open('#/data');
  await page.getByLabel('Name of the new workspace').fill('Large partner');
  await page.getByRole('button', { name: 'Start an empty workspace' }).click();
  await page.getByTestId('import-data-files').setInputFiles(repoFile(LARGE_A1));
  const progress = page.locator('.import-card .import-progress');
  await expect(progress).toContainText('Partner Center: Azure usage');
  await app.screenshot('import-large-progress', { fullPage: false });
  // A click is answered while the rows are being read.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(progress).toBeVisible();
  await page.getByRole('button', { name: 'Light theme' }).click();
  const headline = page.locator('.import-card .import-headline');
  await expect(headline).toContainText('731 new customers', { timeout: 60_000 });
  await expect(page.locator('.import-card .import-file')).toContainText('212,781 rows');
  await page.getByRole('button', { name: 'Apply the import' }).click();
  await expect(page.locator('.toast')).toContainText('Imported: 731 new customers', { timeout: 30_000 });
  await app.nav('Dashboard').click();
  await expect(page.locator('[data-designation]')).toHaveCount(6);

  // The Reconciliation page: 1,088 subscriptions, the most at stake first, 100 drawn at a
  // time; a row's points measured when it is opened.
  await page.locator('.recon-strip').click();
  const summary = (c) => page.locator(`.recon-class[data-class="${c}"]`);
  await expect(summary('missing_credit').locator('.recon-rows')).toHaveText('132 subscriptions');
  await expect(summary('unexplained').locator('.recon-rows')).toHaveText('500 subscriptions');
  await expect(summary('agree').locator('.recon-rows')).toHaveText('456 subscriptions');
  await expect(summary('missing_credit')).toContainText('points at stake');
  await expect(page.locator('.recon-scores tbody tr')).toHaveCount(4);
  await expect(page.locator('.filters')).toContainText('1,088 subscriptions');
  const rows = page.locator('details.recon-row');
  await expect(rows).toHaveCount(100);
  await expect(rows.first()).toHaveAttribute('data-class', 'missing_credit');
  const more = page.locator('.list-more');
  await expect(more).toContainText('Showing 100 of 1,088, the most at stake first');
  await more.getByRole('button', { name: 'Show 100 more' }).click();
  await expect(rows).toHaveCount(200);
  await expect(rows.nth(131)).toHaveAttribute('data-class', 'missing_credit');
  await expect(rows.nth(132)).toHaveAttribute('data-class', 'unexplained');
  const acr = async (i) => Number((await rows.nth(i).locator('summary .num').first().innerText()).replace(/[^0-9.]/g, ''));
  expect(await acr(0)).toBeGreaterThanOrEqual(await acr(1));
  const first = rows.first();
  await expect(first.locator('.stake')).toHaveText('open to measure');
  await first.locator('summary').click();
  await expect(first.locator('.stake')).toHaveText(/^(—|\+[0-9.]+)$/);
  await app.screenshot('reconciliation-large', { fullPage: false });
  // A class filter starts the list from the top again.
  await summary('agree').click();
  await expect(page.locator('.filters')).toContainText('456 of 1,088 match');
  await expect(rows).toHaveCount(100);
  await expect(rows.first()).toHaveAttribute('data-class', 'agree');
  app.expectNoErrors();
});
