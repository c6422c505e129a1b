// The browser half of bench/dashboard_bench: RUNS navigations to the Cascade page, each in a fresh
// browser context (no cached assets) holding the session cookie of one sign-in (POST /api/v1/login), timed by the page's own performance marks (web/src/pages/home.tsx): "cascade-tree" when
// the first rows of the tree are in the document, "cascade-interactive" when they are painted and
// the event loop is free again. Prints "tree MS", "interactive MS" and "data MS" lines (the last
// when GET /api/v1/tree's answer had arrived) in milliseconds since navigation start, and "bytes N"
// (that answer's size on the wire), one set a run; then "cpu MS" for three traced navigations (the
// main thread's CPU time until interactive).
//
//   node bench/dashboard_bench.mjs --url URL --name NAME --password PW --goals N --runs K [--chromium PATH]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(join(here, '../web/package.json'))('playwright-core');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const runs = Number(args.runs ?? 7);

const browser = await chromium.launch({
  executablePath: args.chromium ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  // One navigation to warm the server (its first status of the day is computed, then kept) and
  // the machine; not counted.
  // Signed in once, as a returning user is: each run's fresh context carries the session cookie
  // and what the page keeps in the browser's storage after a first visit.
  const first = await browser.newContext();
  const login = await first.request.post(args.url + '/api/v1/login', { data: { name: args.name, password: args.password } });
  if (!login.ok()) throw new Error(`sign-in failed: ${login.status()} ${await login.text()}`);
  // and one visit of the page, which leaves the browser's note that it has a session (session.ts).
  const visit = await first.newPage();
  await visit.goto(args.url + '/');
  await visit.waitForFunction(() => performance.getEntriesByName('cascade-interactive').length > 0, null, { timeout: 60000 });
  const storageState = await first.storageState();
  await first.close();
  for (let run = -1; run < runs; ++run) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState });
    const page = await context.newPage();
    await page.goto(args.url + '/');
    await page.waitForFunction(() => performance.getEntriesByName('cascade-interactive').length > 0, null, { timeout: 30000 });
    const t = await page.evaluate(() => ({
      tree: performance.getEntriesByName('cascade-tree')[0].startTime,
      interactive: performance.getEntriesByName('cascade-interactive')[0].startTime,
      summary: document.querySelector('.summary')?.textContent ?? '',
      rows: document.querySelectorAll('.goal-row').length,
      // When the tree's data had arrived, and its size on the wire.
      data: performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === '/api/v1/tree')?.responseEnd ?? -1,
      bytes: performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === '/api/v1/tree')?.transferSize ?? -1,
      // Where the time went: each request's end, in ms since navigation start.
      requests: performance
        .getEntriesByType('resource')
        .map((r) => `${new URL(r.name).pathname.replace(/^\/assets\/app-.*\./, 'app.')} ${r.startTime.toFixed(0)}-${r.responseEnd.toFixed(0)}`)
        .join(', '),
    }));
    if (!t.summary.startsWith(`${args.goals} goals`)) throw new Error(`the page shows '${t.summary}', not ${args.goals} goals`);
    if (run >= 0) console.log(`tree ${t.tree.toFixed(1)}\ninteractive ${t.interactive.toFixed(1)}\ndata ${t.data.toFixed(1)}\nbytes ${t.bytes}`);
    if (process.env.VERBOSE) console.error(`dashboard_bench: run ${run}: tree ${t.tree.toFixed(0)} ms; requests ${t.requests}`);
    else console.error(`dashboard_bench: ${run < 0 ? 'warm-up' : `run ${run}`}: interactive after ${t.interactive.toFixed(0)} ms, ${t.rows} rows drawn`);
    await context.close();
  }
  // Three more navigations, traced (not timed: tracing costs the page time): the CPU time the
  // page's main thread spent until it was interactive, which other processes competing for the
  // cores do not inflate as they inflate the wall-clock figure.
  for (let run = 0; run < 3; ++run) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState });
    const page = await context.newPage();
    await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing', 'disabled-by-default-devtools.timeline'] });
    await page.goto(args.url + '/');
    await page.waitForFunction(() => performance.getEntriesByName('cascade-interactive').length > 0, null, { timeout: 30000 });
    const interactive = await page.evaluate(() => performance.getEntriesByName('cascade-interactive')[0].startTime);
    const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    const request = events.find((e) => e.name === 'ResourceSendRequest' && /\/api\/v1\/tree/.test(e.args?.data?.url ?? ''));
    const main = events.find((e) => e.name === 'thread_name' && e.pid === request?.pid && e.args.name === 'CrRendererMain');
    const start = Math.min(...events.filter((e) => e.pid === request?.pid && e.name === 'navigationStart').map((e) => e.ts));
    if (!main || !Number.isFinite(start)) throw new Error('the trace has no renderer main thread or navigation start');
    let cpu = 0;
    for (const e of events) {
      if (e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.name === 'RunTask' && e.ts >= start && e.ts <= start + interactive * 1000) cpu += e.tdur ?? 0;
    }
    console.log(`cpu ${(cpu / 1000).toFixed(1)}`);
    await context.close();
  }
} finally {
  await browser.close();
}
