// Where the page's main thread spends a scripted session's time: the same phases as the
// benchmark's session (bench-browser.mjs) on one workspace, each phase under Chromium's CPU
// profiler, printing every task of 50 ms or more and the functions with the most self time.
// Needs a build whose wasm keeps its names (scripts/profile.sh builds one).
//
//   node profile-session.mjs <dist> <workspace.json> <customers> [phase ...]
import { resolve } from 'node:path';
import { launch, serve, sessionContext } from './serve.mjs';

const [distArg, fileArg, customersArg, ...wanted] = process.argv.slice(2);
const dist = resolve(distArg);
const file = resolve(fileArg);
const customers = Number(customersArg);
const server = await serve(8098, { '/': dist });
const base = 'http://127.0.0.1:8098/';
const browser = await launch();
const wait = { timeout: 300_000 };
const { ctx, customerName } = await sessionContext(browser, file);
const p = await ctx.newPage();
const cdp = await ctx.newCDPSession(p);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });

// Self time by function over one profile, in milliseconds.
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const name = f.functionName || `(${f.url.split('/').pop() || 'anonymous'})`;
    ms.set(name, (ms.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...ms.entries()].filter(([n]) => n !== '(idle)' && n !== '(program)').sort((a, b) => b[1] - a[1]);
}

async function phase(name, act) {
  const on = wanted.length === 0 || wanted.includes(name);
  await p.evaluate((n) => { window.__phase = n; }, name);
  if (on) await cdp.send('Profiler.start');
  await act();
  if (!on) return;
  const { profile } = await cdp.send('Profiler.stop');
  const tasks = (await p.evaluate(() => window.__longTasks)).filter((t) => t.phase === name).map((t) => t.ms);
  console.log(`\n== ${name}: tasks of 50 ms or more: ${tasks.sort((a, b) => b - a).join(', ') || 'none'}`);
  for (const [n, t] of selfTimes(profile).slice(0, 18)) console.log(`${t.toFixed(1).padStart(8)} ms  ${n}`);
}

await p.goto(`${base}#/data`);
await p.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
await phase('import', async () => {
  await p.getByTestId('import-file').setInputFiles(file);
  await p.getByRole('button', { name: 'Open as a new workspace', exact: true }).click(wait);
  await p.locator('.topbar .ws-name').filter({ hasText: `${customers} customers` }).waitFor(wait);
  await p.locator('.save-state').filter({ hasText: /Saved in this browser|Not saved/ }).waitFor(wait);
});
await phase('dashboard', async () => {
  await p.goto(`${base}#/`);
  await p.locator('[data-designation]').nth(5).waitFor(wait);
  await p.waitForTimeout(500);
});
await phase('edit', async () => {
  await p.getByLabel('Rule set').selectOption('2023-10');
  await p.locator('.topbar .ws-meta').filter({ hasText: 'rules 2023-10' }).waitFor(wait);
  await p.locator('.preparing-state').waitFor({ state: 'detached', ...wait });
  await p.waitForTimeout(2000);
});
await phase('designation', async () => {
  await p.goto(`${base}#/designations/data_ai_azure`);
  await p.getByRole('button', { name: 'Plan the shortest path' }).waitFor(wait);
  await p.waitForTimeout(500);
});
await phase('plan', async () => {
  await p.getByRole('button', { name: 'Plan the shortest path' }).click();
  await p.locator('.plan-result').waitFor(wait);
  await p.waitForTimeout(500);
});
await phase('customer', async () => {
  await p.goto(`${base}#/customers/c367`);
  await p.locator('main h1').filter({ hasText: customerName }).waitFor(wait);
  await p.waitForTimeout(500);
});
await phase('customers', async () => {
  await p.goto(`${base}#/customers`);
  await p.locator('main table.customers tbody tr').nth(10).waitFor(wait);
  await p.waitForTimeout(500);
});
await browser.close();
server.close();
