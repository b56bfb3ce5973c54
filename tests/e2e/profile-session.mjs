// Where the page's main thread spends a scripted session's time: the same phases as the
// benchmark's session (bench-browser.mjs) on one workspace, each phase under Chromium's CPU
// profiler, printing every task of 50 ms or more and the functions with the most self time.
// Given a Partner Center download (.csv) instead, the phases are those of the import benchmark
// (bench-import.mjs): its preview, applying it, the dashboard after, and the Reconciliation page. Needs a build whose
// wasm keeps its names (scripts/profile.sh builds one).
//
//   node profile-session.mjs <dist> <workspace.json | download.csv> <customers> [phase ...]
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

// Each sample's time in the page's clock (performance.now), its function and its stack.
// The profiler's clock is another one: a marked busy loop run at a known page time, right
// after the profiler starts, gives the offset.
function samples(profile, calibratedAt) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = (n) => n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'anonymous'})`;
  const stackOf = (id) => {
    const out = [];
    for (let at = id; at !== undefined; at = parent.get(at)) out.push(nameOf(byId.get(at)));
    return out;
  };
  let t = profile.startTime;
  const out = profile.samples.map((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    return { t: t / 1000, ms: (profile.timeDeltas[i + 1] ?? 0) / 1000, id };
  });
  const mark = out.find((s) => stackOf(s.id).some((f) => f.startsWith('__calibrate')));
  if (!mark) console.log('  (the calibration loop was not sampled: task times are not matched)');
  const offset = mark ? mark.t - calibratedAt : 0;
  return out.map((s) => ({ ...s, t: s.t - offset, name: nameOf(byId.get(s.id)), stack: () => stackOf(s.id) }));
}

function top(entries, n) {
  return [...entries].filter(([k]) => k !== '(idle)' && k !== '(program)').sort((a, b) => b[1] - a[1]).slice(0, n);
}

// Self time by function, and time inside each of the engine's and the app's functions
// (`pcs_workbench::`, counted once per sample), over the samples given.
function times(list) {
  const self = new Map();
  const inside = new Map();
  for (const s of list) {
    self.set(s.name, (self.get(s.name) ?? 0) + s.ms);
    for (const f of new Set(s.stack().filter((f) => f.startsWith('pcs_workbench::')))) {
      const short = f.replace(/::h[0-9a-f]{16}$/, '');
      inside.set(short, (inside.get(short) ?? 0) + s.ms);
    }
  }
  return { self, inside };
}

const fmt = ([n, t]) => `${t.toFixed(1).padStart(8)} ms  ${n}`;

async function phase(name, act) {
  const on = wanted.length === 0 || wanted.includes(name);
  await p.evaluate((n) => { window.__phase = n; }, name);
  let calibratedAt = 0;
  if (on) {
    await cdp.send('Profiler.start');
    // The first moments after the start are not always sampled.
    await p.waitForTimeout(100);
    // A function of its own per phase (one V8 has seen before may be inlined, its name lost).
    calibratedAt = await p.evaluate((n) => {
      const loop = (0, eval)(`(function __calibrate_${n}(at) { while (performance.now() < at + 30); })`);
      const at = performance.now();
      loop(at);
      return at;
    }, name);
  }
  await act();
  if (!on) return;
  const { profile } = await cdp.send('Profiler.stop');
  const all = samples(profile, calibratedAt);
  const tasks = (await p.evaluate(() => window.__longTasks)).filter((t) => t.phase === name);
  tasks.sort((a, b) => b.ms - a.ms);
  console.log(`\n== ${name}: tasks of 50 ms or more: ${tasks.map((t) => t.ms).join(', ') || 'none'}`);
  for (const line of top(times(all).self, 18)) console.log(fmt(line));
  for (const task of tasks) {
    const { self, inside } = times(all.filter((s) => s.t >= task.at && s.t < task.at + task.ms));
    console.log(`\n  -- the ${task.ms} ms task at ${task.at.toFixed(0)} ms: inside`);
    for (const line of top(inside, 14)) console.log(`  ${fmt(line)}`);
    console.log('  self');
    for (const line of top(self, 8)) console.log(`  ${fmt(line)}`);
  }
}

if (file.endsWith('.csv')) {
  await p.goto(`${base}#/data`);
  await p.getByLabel('Name of the new workspace').fill('Large import');
  await p.getByRole('button', { name: 'Start an empty workspace' }).click();
  await phase('preview', async () => {
    await p.getByTestId('import-data-files').setInputFiles(file);
    await p.locator('.import-preview').waitFor(wait);
  });
  await phase('apply', async () => {
    await p.getByRole('button', { name: 'Apply the import' }).click();
    await p.locator('.toast').filter({ hasText: 'Imported' }).waitFor(wait);
  });
  await phase('dashboard', async () => {
    await p.goto(`${base}#/`);
    await p.locator('[data-designation]').nth(5).waitFor(wait);
    await p.waitForTimeout(500);
  });
  await phase('reconciliation', async () => {
    await p.goto(`${base}#/reconciliation`);
    await p.locator('.recon-scores tbody tr').first().waitFor(wait);
    await p.locator('.recon-row').first().waitFor(wait);
    await p.waitForTimeout(500);
  });
} else {
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
}
await browser.close();
server.close();
