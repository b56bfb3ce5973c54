// The in-browser benchmark: the release app (dist/) in headless Debian Chromium runs the
// same engine steps as `pcs bench` on the same files, plus the app's cold load and the
// time from an edit to the next painted frame. Run by scripts/bench.sh.
//
//   node bench-browser.mjs <dist> <bench dir> <file>:<runs>:<skip> ...
import { writeFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { launch, serve, sessionContext } from './serve.mjs';
import { CATEGORIES, longTasks, printTasks, sampledFunctions } from './trace.mjs';

const [distArg, benchArg, ...jobs] = process.argv.slice(2);
const dist = resolve(distArg);
const benchDir = resolve(benchArg);
// dist/ at "/", the benchmark files at "/bench/".
const server = await serve(8097, { '/': dist, '/bench/': benchDir });
const base = 'http://127.0.0.1:8097/';
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });

// Cold load: a fresh context, from navigation to six designation cards on screen.
const loads = [];
for (let i = 0; i < 5; i++) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const t0 = Date.now();
  await p.goto(base);
  await p.locator('[data-designation]').nth(5).waitFor();
  loads.push(Date.now() - t0);
  await ctx.close();
}
loads.sort((a, b) => a - b);

// Edit to frame: change a PAL link on the demo and wait for the dashboard score to change,
// measured in the page from the change event to the next animation frame after the update.
await page.goto(`${base}#/customers/litware`);
await page.locator('[data-identity="sam-litware"]').waitFor();
const frames = [];
for (let i = 0; i < 6; i++) {
  const target = i % 2 === 0 ? '4977985' : '4977984';
  const ms = await page.evaluate(async (value) => {
    const select = document.querySelector('[data-identity="sam-litware"] select');
    const t0 = performance.now();
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => r()));
    return performance.now() - t0;
  }, target);
  frames.push(ms);
  await page.waitForTimeout(400);
}
frames.sort((a, b) => a - b);

await page.goto(base);
await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench);
const results = [];
for (const job of jobs) {
  const [file, runs, skip] = job.split(':');
  const report = await page.evaluate(async ([file, runs, skip]) => {
    const text = await (await fetch(`bench/${file}`)).text();
    return JSON.parse(window.wasmBindings.bench(text, Number(runs), skip ?? ''));
  }, [file, runs, skip ?? '']);
  report.file = file;
  const out = join(benchDir, `browser-${basename(file, '.json')}.json`);
  await writeFile(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`browser: ${file} → ${out}`);
  results.push(report);
  // The same steps in the engine worker: the app's own worker build (optimised for speed,
  // not part of the first load), where its long jobs run.
  const inWorker = await page.evaluate(async ([file, runs, skip]) => {
    const text = await (await fetch(`bench/${file}`)).text();
    return JSON.parse(await window.wasmBindings.bench_worker(text, Number(runs), skip ?? ''));
  }, [file, runs, skip ?? '']);
  if (inWorker.error) throw new Error(`the worker benchmark on ${file}: ${inWorker.error}`);
  inWorker.file = file;
  const workerOut = join(benchDir, `browser-worker-${basename(file, '.json')}.json`);
  await writeFile(workerOut, JSON.stringify(inWorker, null, 2) + '\n');
  console.log(`browser (engine worker): ${file} → ${workerOut}`);
}
// The scripted sessions, on medium (500 customers) and large (5,000): import the file,
// change the rule set (every view re-scores), plan a path to 70 (in the engine worker), open a
// customer's page and the customer list, with the browser's long-task observer listing every
// main-thread task of 50 ms or more, phase by phase. Large does not fit the browser's storage:
// its session waits for the save to say so.
const PHASES = ['load', 'import', 'edit', 'designation', 'plan', 'customer', 'customers'];
async function scriptedSession(file, customers) {
  const wait = { timeout: 300_000 };
  const { ctx, customerName } = await sessionContext(browser, file);
  const p = await ctx.newPage();
  await p.goto(`${base}#/data`);
  await p.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
  // PCS_TRACE=1: each phase under a Chrome trace, its tasks of 80 ms or more printed by
  // trace event and sampled function (what a long task is made of; function names need a
  // build that keeps them, such as scripts/profile.sh's target/profile-dist).
  const tracing = process.env.PCS_TRACE === '1';
  let traced = null;
  const endTrace = async () => {
    if (!traced) return;
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
    const tasks = sampledFunctions(trace, longTasks(trace, 80));
    console.log(`trace: ${customers} customers, phase ${traced}: ${tasks.length} tasks of 80 ms or more`);
    printTasks(tasks);
    traced = null;
  };
  const phase = async (name) => {
    await endTrace();
    await p.evaluate((n) => { window.__phase = n; }, name);
    if (tracing) {
      await browser.startTracing(p, { categories: CATEGORIES });
      traced = name;
    }
  };
  await phase('import');
  const t0 = Date.now();
  await p.getByTestId('import-file').setInputFiles(file);
  await p.getByRole('button', { name: 'Open as a new workspace', exact: true }).click(wait);
  await p.locator('.topbar .ws-name').filter({ hasText: `${customers} customers` }).waitFor(wait);
  await p.locator('.save-state').filter({ hasText: /Saved in this browser|Not saved/ }).waitFor(wait);
  const importMs = Date.now() - t0;
  await phase('edit');
  await p.goto(`${base}#/`);
  await p.locator('[data-designation]').nth(5).waitFor(wait);
  await p.getByLabel('Rule set').selectOption('2023-10');
  await p.locator('.topbar .ws-meta').filter({ hasText: 'rules 2023-10' }).waitFor(wait);
  await p.locator('.preparing-state').waitFor({ state: 'detached', ...wait });
  await p.waitForTimeout(2000);
  // Opening the designation page (its explained evaluation and contributor lists render on
  // the page) is a phase of its own, so that a long task there is told apart from the plan's.
  await phase('designation');
  await p.goto(`${base}#/designations/data_ai_azure`);
  const planButton = p.getByRole('button', { name: 'Plan the shortest path' });
  await planButton.waitFor(wait);
  await p.waitForTimeout(500);
  await phase('plan');
  // Timed in the page, from the click to the mutation that shows the result (a locator's
  // polling would round it up to its next poll, up to half a second).
  await p.evaluate(() => {
    document.addEventListener('click', () => { window.__clickAt = performance.now(); }, { capture: true, once: true });
    window.__planShown = new Promise((ok) => {
      const seen = new MutationObserver(() => {
        if (document.querySelector('.plan-result')) { seen.disconnect(); ok(performance.now()); }
      });
      seen.observe(document.body, { childList: true, subtree: true });
    });
  });
  await planButton.click();
  await p.locator('.plan-result').waitFor(wait);
  const planMs = Math.round(await p.evaluate(async () => (await window.__planShown) - window.__clickAt));
  await p.waitForTimeout(500);
  // A customer's page (each of its lines, workloads and resources explained), then the
  // list of every customer.
  await phase('customer');
  await p.goto(`${base}#/customers/c367`);
  await p.locator('main h1').filter({ hasText: customerName }).waitFor(wait);
  await p.waitForTimeout(500);
  await phase('customers');
  await p.goto(`${base}#/customers`);
  await p.locator('main table.customers tbody tr').nth(10).waitFor(wait);
  await p.waitForTimeout(500);
  await endTrace();
  const tasks = await p.evaluate(() => window.__longTasks);
  const over = tasks.filter((t) => t.ms > 100);
  await ctx.close();
  return {
    import_ms: importMs,
    plan_ms: planMs,
    long_tasks_over_100ms: over.length,
    longest_ms: Math.max(0, ...tasks.map((t) => t.ms)),
    by_phase: Object.fromEntries(PHASES.map((ph) => {
      const here = tasks.filter((t) => t.phase === ph).map((t) => t.ms).sort((a, b) => b - a);
      return [ph, { tasks_50ms_or_more: here.length, over_100ms: here.filter((x) => x > 100).length, longest_ms: here[0] ?? 0, top: here.slice(0, 5) }];
    })),
  };
}
const exists = (f) => stat(f).then(() => true, () => false);
const mediumFile = join(benchDir, 'medium.json');
const largeFile = join(benchDir, 'large.json');
const session = (await exists(mediumFile)) ? await scriptedSession(mediumFile, 500) : null;
const largeSession = (await exists(largeFile)) ? await scriptedSession(largeFile, 5000) : null;
const app = {
  cold_load_ms: { median_ms: loads[Math.floor(loads.length / 2)], min_ms: loads[0], max_ms: loads[loads.length - 1] },
  edit_to_frame_ms: { median_ms: frames[Math.floor(frames.length / 2)], min_ms: frames[0], max_ms: frames[frames.length - 1] },
  medium_session: session,
  large_session: largeSession,
};
await writeFile(join(benchDir, 'browser-app.json'), JSON.stringify(app, null, 2) + '\n');
console.log('browser: app', JSON.stringify(app));
await browser.close();
server.close();
