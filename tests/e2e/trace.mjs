// Chrome traces of the page's main thread, for the benchmark scripts: the categories to
// record, and each long task's breakdown by trace event (self time), so that script (wasm
// included), garbage collection, style, layout and paint are told apart.
export const CATEGORIES = [
  'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute',
  'disabled-by-default-v8.gc', 'blink.user_timing', 'toplevel', 'disabled-by-default-v8.cpu_profiler',
];

// Tasks of `minMs` or more on each renderer main thread, with their self time by event name.
export function longTasks(trace, minMs) {
  const events = trace.traceEvents ?? trace;
  const main = new Set(events
    .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (!main.has(key) || e.ph !== 'X' || typeof e.dur !== 'number') continue;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  const out = [];
  for (const [thread, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    for (const task of list.filter((e) => e.name === 'RunTask' && e.dur >= minMs * 1000)) {
      const end = task.ts + task.dur;
      const inside = list.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= end);
      // Self time: an event's duration less its direct children's.
      const self = new Map();
      const stack = [];
      const close = (e) => self.set(e.name, (self.get(e.name) ?? 0) + e.self);
      for (const e of inside) {
        while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) close(stack.pop());
        const node = { name: e.name, ts: e.ts, dur: e.dur, self: e.dur };
        if (stack.length) stack[stack.length - 1].self -= e.dur;
        stack.push(node);
      }
      while (stack.length) close(stack.pop());
      const covered = inside.filter((e) => !inside.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && o.dur > e.dur));
      const first = inside[0];
      const what = first ? `${first.name}${first.args?.data?.functionName ? ` ${first.args.data.functionName}` : ''}${first.args?.data?.type ? ` ${first.args.data.type}` : ''}` : '(nothing traced)';
      const untraced = task.dur - covered.reduce((s, e) => s + e.dur, 0);
      out.push({ thread, at: task.ts, ms: task.dur / 1000, what, untraced: untraced / 1000, self: [...self].sort((a, b) => b[1] - a[1]).slice(0, 10) });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}


/** Prints `tasks` (from `longTasks`), indented. */
export function printTasks(tasks) {
  const t0 = tasks[0]?.at ?? 0;
  for (const t of tasks) {
    console.log(`  ${t.ms.toFixed(1)} ms at +${((t.at - t0) / 1000).toFixed(0)} ms, from ${t.what}; not in any traced event ${t.untraced.toFixed(1)} ms`);
    for (const [name, us] of t.self) console.log(`      ${(us / 1000).toFixed(1).padStart(7)} ms  ${name}`);
    if (t.inside?.length) {
      console.log('    inside (sampled):');
      for (const [name, us] of t.inside) console.log(`      ${(us / 1000).toFixed(1).padStart(7)} ms  ${name}`);
      console.log('    self (sampled):');
      for (const [name, us] of t.functions) console.log(`      ${(us / 1000).toFixed(1).padStart(7)} ms  ${name}`);
    }
  }
}

/**
 * With the `disabled-by-default-v8.cpu_profiler` category: the functions sampled inside
 * each task of `tasks` (self time, and time inside each `pcs_workbench::` function), added
 * to the task as `functions` and `inside`. Function names need a wasm build that keeps them.
 */
export function sampledFunctions(trace, tasks) {
  const events = trace.traceEvents ?? trace;
  const nodes = new Map();
  const parent = new Map();
  const samples = [];
  const clocks = new Map();
  for (const e of events) {
    if (e.name === 'Profile' && e.args?.data?.startTime !== undefined) clocks.set(e.id, { t: e.args.data.startTime, thread: `${e.pid}:${e.tid}` });
  }
  for (const e of events.filter((x) => x.name === 'ProfileChunk')) {
    const clock = clocks.get(e.id);
    const profile = e.args?.data?.cpuProfile;
    if (!clock || !profile) continue;
    for (const n of profile.nodes ?? []) {
      nodes.set(`${e.id}:${n.id}`, n.callFrame?.functionName || `(${(n.callFrame?.url ?? '').split('/').pop() || 'anonymous'})`);
      if (n.parent !== undefined) parent.set(`${e.id}:${n.id}`, `${e.id}:${n.parent}`);
    }
    const deltas = e.args.data.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      clock.t += deltas[i] ?? 0;
      samples.push({ t: clock.t, node: `${e.id}:${id}`, thread: clock.thread });
    });
  }
  samples.sort((a, b) => a.t - b.t);
  for (let i = 0; i < samples.length; i++) samples[i].us = (samples[i + 1]?.t ?? samples[i].t) - samples[i].t;
  for (const task of tasks) {
    const self = new Map();
    const inside = new Map();
    // The samples of the task's own thread (the engine worker's are profiled too).
    for (const s of samples.filter((x) => x.thread === task.thread && x.t >= task.at && x.t < task.at + task.ms * 1000)) {
      const name = nodes.get(s.node) ?? '?';
      self.set(name, (self.get(name) ?? 0) + s.us);
      const seen = new Set();
      for (let at = s.node; at !== undefined; at = parent.get(at)) {
        const f = (nodes.get(at) ?? '').replace(/::h[0-9a-f]{16}$/, '');
        if (f.startsWith('pcs_workbench::') && !seen.has(f)) { seen.add(f); inside.set(f, (inside.get(f) ?? 0) + s.us); }
      }
    }
    const sorted = (m, n) => [...m].filter(([k]) => k !== '(idle)' && k !== '(program)').sort((a, b) => b[1] - a[1]).slice(0, n);
    task.functions = sorted(self, 8);
    task.inside = sorted(inside, 14);
  }
  return tasks;
}
