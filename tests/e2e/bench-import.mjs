// The import benchmark: the release app (dist/) in headless Debian Chromium imports a large
// Partner Center Azure usage download (A1 CSV) into an empty workspace, the way a partner
// does on the Data page. It reports the time to the preview, the time to apply it, the
// dashboard and the Reconciliation page after, and every main-thread task over 50 ms
// (PerformanceObserver "longtask") in each phase. Run by scripts/bench.sh.
//
//   node bench-import.mjs <dist> <csv file> <out.json>
import { readFile, writeFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launch, serve } from './serve.mjs';

const [distArg, csvArg, outArg] = process.argv.slice(2);
const dist = resolve(distArg);
const server = await serve(8098, { '/': dist });
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
await page.goto('http://127.0.0.1:8098/#/data');
await page.getByLabel('Name of the new workspace').fill('Large import');
await page.getByRole('button', { name: 'Start an empty workspace' }).click();
await page.evaluate(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) });
  }).observe({ type: 'longtask' });
  window.__mark = () => performance.now();
  // When each stage of the import starts (the status line's text), to place the long tasks.
  window.__stages = [];
  let last = '';
  new MutationObserver(() => {
    const el = document.querySelector('.import-card .import-progress span');
    const text = el ? el.textContent.replace(/[0-9]+%$/, '') : (document.querySelector('.import-preview') ? 'preview' : '');
    if (text && text !== last) { last = text; window.__stages.push({ at: Math.round(performance.now()), stage: text }); }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
});
const rows = (await readFile(csvArg, 'utf8')).split('\n').length - 2;
const t0 = await page.evaluate(() => window.__mark());
const wall0 = Date.now();
await page.getByTestId('import-data-files').setInputFiles(csvArg);
let sawProgress = false;
for (;;) {
  if (await page.locator('.import-preview').count()) break;
  if (await page.locator('.import-card progress').count()) sawProgress = true;
  await page.waitForTimeout(100);
}
const t1 = await page.evaluate(() => window.__mark());
const previewMs = Date.now() - wall0;
const headline = await page.locator('.import-headline').innerText();
await page.getByRole('button', { name: 'Apply the import' }).click();
await page.locator('.toast').filter({ hasText: 'Imported' }).waitFor({ timeout: 120_000 });
const t2 = await page.evaluate(() => window.__mark());
await page.goto('http://127.0.0.1:8098/#/');
await page.locator('[data-designation]').nth(5).waitFor({ timeout: 120_000 });
const t3 = await page.evaluate(() => window.__mark());
// The Reconciliation page on the month the download covers: rows, scores and the points at
// stake of the rows measured up front.
await page.waitForTimeout(1000);
const t4 = await page.evaluate(() => window.__mark());
await page.goto('http://127.0.0.1:8098/#/reconciliation');
await page.locator('.recon-scores tbody tr').first().waitFor({ timeout: 120_000 });
await page.locator('.recon-row').first().waitFor({ timeout: 120_000 });
await page.waitForFunction(() => !document.querySelector('.recon-busy'), null, { timeout: 120_000 });
const t5 = await page.evaluate(() => window.__mark());
const reconRows = await page.locator('.recon-row').count();
const tasks = await page.evaluate(() => window.__longTasks);
const stages = await page.evaluate(() => window.__stages);
const phase = (a, b) => tasks.filter((t) => t.start >= a && t.start < b).map((t) => t.ms);
const summary = (list) => ({ count: list.length, over_100_ms: list.filter((x) => x > 100).length, longest_ms: Math.max(0, ...list) });
const report = {
  file: csvArg,
  rows,
  bytes: (await stat(csvArg)).size,
  headline,
  progress_shown: sawProgress,
  read_and_preview_ms: Math.round(t1 - t0),
  read_and_preview_wall_ms: previewMs,
  apply_ms: Math.round(t2 - t1),
  dashboard_after_apply_ms: Math.round(t3 - t2),
  reconciliation_page_ms: Math.round(t5 - t4),
  reconciliation_rows: reconRows,
  stages: stages.map((s) => ({ at_ms: Math.round(s.at - t0), stage: s.stage })),
  tasks_over_50_ms: tasks.map((t) => ({ at_ms: Math.round(t.start - t0), ms: t.ms })),
  long_tasks: {
    read_and_preview: summary(phase(t0, t1)),
    apply: summary(phase(t1, t2)),
    dashboard: summary(phase(t2, t4)),
    reconciliation: summary(phase(t4, t5 + 1)),
  },
};
await writeFile(outArg, JSON.stringify(report, null, 2) + '\n');
console.log('import:', JSON.stringify(report));
await browser.close();
server.close();
