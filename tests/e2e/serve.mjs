// The release app's files over loopback for the benchmark scripts, and Debian Chromium to
// open it: `roots` maps a path prefix to a folder ("/" for dist/, e.g. "/bench/" for the
// benchmark files: same origin, which the app's CSP allows).
import { chromium } from '@playwright/test';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** Serves `roots` on 127.0.0.1:`port`; resolves to the server once it listens. */
export async function serve(port, roots) {
  const mounts = Object.entries(roots).map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, root] = mounts.find(([p]) => path.startsWith(p)) ?? [];
    if (!root) { res.writeHead(404); return res.end(); }
    path = path.slice(prefix.length - 1);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch { res.writeHead(404); res.end(); }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return server;
}

/** Headless Debian Chromium, with room for a large workspace in the page's heap. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.PCS_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--js-flags=--max-old-space-size=4096'],
  });
}

/**
 * A browser context for a scripted session on the workspace `file`: every main-thread task
 * of 50 ms or more is recorded in `window.__longTasks` with the phase `window.__phase` names
 * (starting at "load"). Also gives the name of the customer whose page the session opens
 * (c367, the 368th, as the generator wrote it).
 */
export async function sessionContext(browser, file) {
  // A workspace file's customer c367, by name (none for a download such as the A1 CSV).
  const customerName = file.endsWith('.json')
    ? JSON.parse(await readFile(file, 'utf8')).customers.find((c) => c.id === 'c367').name
    : null;
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  await ctx.addInitScript(() => {
    window.__longTasks = [];
    window.__phase = 'load';
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ phase: window.__phase, ms: Math.round(e.duration), at: e.startTime });
    }).observe({ type: 'longtask', buffered: true });
  });
  return { ctx, customerName };
}
