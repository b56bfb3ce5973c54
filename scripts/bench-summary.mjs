// Combine the native and browser benchmark JSON into one table (Markdown on stdout) and
// summary.json: each step's median per size, the wasm/native ratio (on the page and in the
// engine worker), the growth factor
// small → medium → large, the app's cold load and edit-to-frame times, and the bundle size.
//   node scripts/bench-summary.mjs target/bench dist
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync } from 'node:zlib';
import os from 'node:os';

const [dir, dist] = process.argv.slice(2);
const read = (f) => { try { return JSON.parse(readFileSync(join(dir, f), 'utf8')); } catch { return null; } };
const sizes = ['demo', 'small', 'medium', 'large'];
const steps = ['floor_parse', 'floor_sum', 'parse', 'validate', 'attribution_one_month', 'full_evaluation', 'findings', 'planner', 'reconcile_summary', 'reconcile_rows', 'serialise'];
const med = (r, s) => (r && typeof r.steps?.[s] === 'object' ? r.steps[s].median_ms : null);
const fmt = (v) => (v == null ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(0));
const out = [];
const summary = { machine: {}, sizes: {}, steps: {}, app: read('browser-app.json'), bundle: {} };
summary.machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}` };
out.push(`Machine: ${summary.machine.cpus} cores (${summary.machine.cpu}), ${summary.machine.memory_gb} GB, ${summary.machine.os}.`, '');
out.push('| Workspace | Customers | Usage lines | Identities | Role assignments | CPOR claims | People | File |', '|---|---:|---:|---:|---:|---:|---:|---:|');
for (const s of sizes) {
  const r = read(`native-${s}.json`);
  if (!r) continue;
  const c = r.counts;
  summary.sizes[s] = c;
  out.push(`| ${s} | ${c.customers} | ${c.usage_lines} | ${c.identities} | ${c.role_assignments} | ${c.claims} | ${c.people} | ${(r.size_bytes / 2 ** 20).toFixed(1)} MB |`);
}
out.push('', 'Median milliseconds, native (`pcs bench`) / in Chromium (release wasm); ratio = wasm ÷ native.', '');
out.push(`| Step | ${sizes.map((s) => `${s} native | ${s} wasm | ratio`).join(' | ')} | growth small→medium | growth medium→large |`);
out.push(`|---|${sizes.map(() => '---:|---:|---:').join('|')}|---:|---:|`);
for (const step of steps) {
  const row = [step];
  summary.steps[step] = {};
  for (const s of sizes) {
    const n = med(read(`native-${s}.json`), step);
    const w = med(read(`browser-${s}.json`), step);
    summary.steps[step][s] = { native_ms: n, wasm_ms: w, ratio: n && w ? w / n : null };
    row.push(fmt(n), fmt(w), n && w ? (w / n).toFixed(2) : '—');
  }
  const g = (a, b) => { const x = med(read(`native-${a}.json`), step); const y = med(read(`native-${b}.json`), step); return x && y ? (y / x).toFixed(1) : '—'; };
  summary.steps[step].growth = { small_medium: g('small', 'medium'), medium_large: g('medium', 'large') };
  row.push(g('small', 'medium'), g('medium', 'large'));
  out.push(`| ${row.join(' | ')} |`);
}
// The same steps in the engine worker (its own build, optimised for speed), where the app's
// long jobs run: against native, as above.
const workerSizes = sizes.filter((s) => read(`browser-worker-${s}.json`));
if (workerSizes.length) {
  out.push('', "The same steps in Chromium's engine worker (the worker's build: opt-level 3, not part of the first load); ratio = worker ÷ native.", '');
  out.push(`| Step | ${workerSizes.map((s) => `${s} worker | ratio`).join(' | ')} |`, `|---|${workerSizes.map(() => '---:|---:').join('|')}|`);
  for (const step of steps) {
    const row = [step];
    for (const s of workerSizes) {
      const n = med(read(`native-${s}.json`), step);
      const w = med(read(`browser-worker-${s}.json`), step);
      summary.steps[step][s].worker_ms = w;
      summary.steps[step][s].worker_ratio = n && w ? w / n : null;
      row.push(fmt(w), n && w ? (w / n).toFixed(2) : '—');
    }
    out.push(`| ${row.join(' | ')} |`);
  }
}
const floors = ['parse', 'validate', 'attribution_one_month', 'full_evaluation', 'findings', 'planner'];
out.push('', 'Each step as a multiple of its floor, native / wasm (reading against `floor_parse`: serde_json into `IgnoredAny`; the engine against `floor_sum`: one pass summing every monthly value).', '');
out.push(`| Step | floor | ${sizes.map((s) => `${s} native | ${s} wasm`).join(' | ')} |`, `|---|---|${sizes.map(() => '---:|---:').join('|')}|`);
summary.multiples = {};
for (const step of floors) {
  const floor = step === 'parse' || step === 'validate' ? 'floor_parse' : 'floor_sum';
  const row = [step, floor];
  summary.multiples[step] = {};
  for (const s of sizes) {
    const n = read(`native-${s}.json`)?.multiples_of_floor?.[step];
    const w = read(`browser-${s}.json`)?.multiples_of_floor?.[step];
    summary.multiples[step][s] = { native: n ?? null, wasm: w ?? null };
    row.push(n == null ? '—' : `${n}×`, w == null ? '—' : `${w}×`);
  }
  out.push(`| ${row.join(' | ')} |`);
}
if (summary.app) {
  out.push('', `App in Chromium: cold load to the dashboard ${summary.app.cold_load_ms.median_ms} ms (median of 5; min ${summary.app.cold_load_ms.min_ms}, max ${summary.app.cold_load_ms.max_ms}); an edit to the next painted frame ${summary.app.edit_to_frame_ms.median_ms.toFixed(1)} ms (median of 6; max ${summary.app.edit_to_frame_ms.max_ms.toFixed(1)}).`);
}
// The first load is the page's wasm, JS and CSS; the engine worker's files load when a page
// offering a long job (a plan) opens, so they are listed apart.
let raw = 0, gz = 0, wraw = 0, wgz = 0;
for (const [key, label] of [['medium_session', 'medium'], ['large_session', 'large']]) {
  const m = summary.app?.[key];
  if (!m) continue;
  out.push('', `Scripted ${label} session in Chromium (import, rule-set change, the designation page, plan in the worker, a customer's page, the customer list; long-task observer): ${m.long_tasks_over_100ms} main-thread tasks over 100 ms, the longest ${m.longest_ms} ms; the import ${m.import_ms} ms (from picking the file to the save's outcome), the plan ${m.plan_ms} ms (from the click to the result). By phase (tasks ≥ 50 ms, the longest first): ${Object.entries(m.by_phase).map(([ph, x]) => `${ph} ${x.top.join(', ') || 'none'}`).join('; ')}.`);
}
try {
  const imp = JSON.parse(readFileSync(join(dir, 'browser-import.json'), 'utf8'));
  summary.import = imp;
  const phase = (k) => `${k.replace(/_/g, ' ')} ${imp.long_tasks[k].over_100_ms} over 100 ms (longest ${imp.long_tasks[k].longest_ms})`;
  out.push('', `Import of a ${imp.rows.toLocaleString('en')}-row Azure usage download in Chromium: ${imp.headline}; read and preview ${imp.read_and_preview_ms} ms, apply ${imp.apply_ms} ms, the dashboard after ${imp.dashboard_after_apply_ms} ms, the Reconciliation page ${imp.reconciliation_page_ms ?? '—'} ms (${imp.reconciliation_rows ?? '—'} rows drawn). Long tasks: ${Object.keys(imp.long_tasks).map(phase).join('; ')}.`);
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}
out.push('', '| Bundle file | Bytes | Gzipped |', '|---|---:|---:|');
const worker = (f) => f.startsWith('pcs-worker');
for (const f of readdirSync(dist).filter((f) => ['.wasm', '.js', '.css'].includes(extname(f))).sort((a, b) => worker(a) - worker(b))) {
  const b = readFileSync(join(dist, f));
  const z = gzipSync(b, { level: 9 }).length;
  if (worker(f)) { wraw += b.length; wgz += z; } else { raw += b.length; gz += z; }
  summary.bundle[f] = { bytes: b.length, gzipped: z };
  out.push(`| ${f.replace(/-[0-9a-f]{8,}/, '')} | ${b.length.toLocaleString('en')} | ${z.toLocaleString('en')} |`);
}
out.push(`| **first load** (the page) | ${raw.toLocaleString('en')} | ${gz.toLocaleString('en')} |`);
out.push(`| the engine worker (when a page offering a plan opens) | ${wraw.toLocaleString('en')} | ${wgz.toLocaleString('en')} |`);
summary.bundle.total = { bytes: raw, gzipped: gz };
summary.bundle.worker = { bytes: wraw, gzipped: wgz };
writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(out.join('\n'));
