// What a long main-thread task is made of: the benchmark session's import and edit phases
// (bench-browser.mjs) on the release app, each edit phase under a Chrome trace (the
// DevTools timeline, V8's garbage collector), run several times. For every task of 80 ms or
// more on the page's main thread it prints what the task started with (a timer, an event, a
// frame) and its time by trace event, self time: script (wasm included) apart from garbage
// collection, style, layout and paint. Complements profile-session.mjs, whose sampling
// profiler names functions but not the collector or the rendering steps.
//
//   node trace-session.mjs <dist> <workspace.json> <customers> [runs] [min ms, default 80]
import { resolve } from 'node:path';
import { launch, serve, sessionContext } from './serve.mjs';
import { CATEGORIES, longTasks, printTasks, sampledFunctions } from './trace.mjs';

const [distArg, fileArg, customersArg, runsArg, minArg] = process.argv.slice(2);
const minMs = Number(minArg ?? 80);
const dist = resolve(distArg);
const file = resolve(fileArg);
const customers = Number(customersArg);
const runs = Number(runsArg ?? 3);
const server = await serve(8097, { '/': dist });
const base = 'http://127.0.0.1:8097/';
const browser = await launch();
const wait = { timeout: 300_000 };
for (let run = 1; run <= runs; run++) {
  const { ctx } = await sessionContext(browser, file);
  const p = await ctx.newPage();
  await p.goto(`${base}#/data`);
  await p.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
  await p.getByTestId('import-file').setInputFiles(file);
  await p.getByRole('button', { name: 'Open as a new workspace', exact: true }).click(wait);
  await p.locator('.topbar .ws-name').filter({ hasText: `${customers} customers` }).waitFor(wait);
  await p.locator('.save-state').filter({ hasText: /Saved in this browser|Not saved/ }).waitFor(wait);
  await p.evaluate(() => { window.__phase = 'edit'; });
  await browser.startTracing(p, { categories: CATEGORIES });
  await p.goto(`${base}#/`);
  await p.locator('[data-designation]').nth(5).waitFor(wait);
  await p.getByLabel('Rule set').selectOption('2023-10');
  await p.locator('.topbar .ws-meta').filter({ hasText: 'rules 2023-10' }).waitFor(wait);
  await p.locator('.preparing-state').waitFor({ state: 'detached', ...wait });
  await p.waitForTimeout(2000);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const observed = (await p.evaluate(() => window.__longTasks)).filter((t) => t.phase === 'edit').map((t) => t.ms);
  const tasks = sampledFunctions(trace, longTasks(trace, minMs));
  console.log(`run ${run}: the edit phase's tasks ≥ 50 ms (long-task observer): ${observed.join(', ') || 'none'}; traced tasks ≥ ${minMs} ms: ${tasks.length}`);
  printTasks(tasks);
  await ctx.close();
}
await browser.close();
server.close();
