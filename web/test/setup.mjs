// What every browser test file shares: Debian's chromium driven by playwright-core against a real
// `cascade serve` of the demo workspace (started before a file's tests, stopped after), seeded
// workspaces of the tests' own, a fresh page that records every console error, page error and CSP
// violation (a test fails on any, and names the refusals it provokes on purpose), sign-in, the
// screenshots' folder, and the accessibility checks (named controls, axe-core).
//
//   CASCADE_BIN=build/cascade CHROMIUM=/usr/bin/chromium node --test web/test/*.test.mjs
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const cascade = process.env.CASCADE_BIN;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
assert.ok(cascade && existsSync(cascade), 'set CASCADE_BIN to the built cascade binary');
assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: run scripts/install-deps (Debian's chromium)`);

export const dir = mkdtempSync(join(tmpdir(), 'cascade-browser-'));
export const db = join(dir, 'demo.db');
export const passwords = { ava: 'ava-password-1', grace: 'grace-password-1', dana: 'dana-password-1', maya: 'maya-password-1', omar: 'omar-password-1' };
let server;
export let base;
export const others = [];  // servers of the tests' own databases
export let browser;

// `run`, without waiting: resolves to its output.
function runAsync(args, input, database = db) {
  return new Promise((resolve, reject) => {
    const proc = execFile(cascade, ['--db', database, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }, (err, out) => (err ? reject(err) : resolve(out)));
    proc.stdin.end(input);
  });
}

export function run(args, input, database = db) {
  return execFileSync(cascade, ['--db', database, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

// `cascade serve` of `database` on a free port: the process and its base URL.
export async function serve(database) {
  const proc = spawn(cascade, ['--db', database, 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr.resume();  // the access log
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`cascade serve did not start: ${out}`)), 15000);
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => reject(new Error(`cascade serve exited with ${code}: ${out}`)));
  });
  return { server: proc, base: url };
}

// A day relative to today (UTC), as YYYY-MM-DD: the seeded workspace's windows are centred on the
// day the test runs, so that its statuses and percentages are the same whenever it runs.
export function day(offset) {
  return new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
}

// A workspace of the model's newer fields, with numbers worked out by hand (spec §2):
// - launch (macro, marketing, Dana; Omar contributes), window today-50 .. today+50 (E = 50%):
//   Signups 200 of 1,000 (20%), the formula "Signups per day" = 200 / 50 = 4 of 20 (20%), the
//   child reels (no check-in: 0%), so P = (0.2 + 0.2 + 0) / 3 = 13%, gap 0.37: off track. Dana's
//   check-in judged it on track: two steps apart. "Rival signups" is a benchmark for Signups
//   (300, left out of progress). Budget 5,000; spend 1,200 in the window and 300 before the start
//   (not counted): spent 1,200, 3,800 left. A lesson and a decision.
// - reels (micro, social, Omar) under launch, supports blog; channel social.
// - blog (macro, social, Dana): Visits 10 of 100 (10%): off track; Dana said at risk: one step.
//   It keeps "Industry signups" (250), a second benchmark for launch's Signups.
export function seedPlan() {
  return `version: 1
teams:
  - {id: marketing, name: Marketing}
  - {id: social, name: Social, parent: marketing}
people:
  - {id: ava, name: Ava Admin, role: admin}
  - {id: dana, name: Dana Lee, team: social, role: lead}
  - {id: omar, name: Omar Haddad, team: social, role: member}
  - {id: grace, name: Grace Viewer, role: viewer}
goals:
  - id: launch
    title: Launch the app
    level: macro
    owner: dana
    team: marketing
    start: ${day(-50)}
    due: ${day(50)}
    priority: high
    channel: social
    segment: gen-z
    stage: awareness
    tags: [launch, q1]
    contributors: [omar]
    budget_max: 5000
    kpis:
      - {id: signups, name: Signups, kind: level, baseline: 0, target: 1000}
      - {id: rival-signups, name: Rival signups, kind: level, baseline: 0, target: 1000, benchmark_for: signups}
      - {id: signup-rate, name: Signups per day, kind: formula, formula: "{signups} / 50", baseline: 0, target: 20}
    children:
      - id: reels
        title: Publish reels
        level: micro
        owner: omar
        team: social
        due: ${day(50)}
        channel: social
        stage: awareness
        supports: [blog]
        kpis:
          - {id: reel-count, name: Reels, kind: cumulative, baseline: 0, target: 10}
  - id: blog
    title: Grow the blog
    level: macro
    owner: dana
    team: social
    start: ${day(-50)}
    due: ${day(50)}
    priority: low
    channel: content
    segment: smb
    stage: consideration
    tags: [q1]
    kpis:
      - {id: visits, name: Visits, kind: level, baseline: 0, target: 100}
      - {id: industry-signups, name: Industry signups, kind: level, baseline: 0, target: 1000, benchmark_for: signups}
checkins:
  - {kpi: signups, date: ${day(-40)}, value: 200, author: dana, confidence: on_track}
  - {kpi: rival-signups, date: ${day(-40)}, value: 150}
  - {kpi: rival-signups, date: ${day(-10)}, value: 300}
  - {kpi: visits, date: ${day(-5)}, value: 10, author: dana, confidence: at_risk}
  - {kpi: industry-signups, date: ${day(-20)}, value: 250}
spend:
  - {goal: launch, date: ${day(-60)}, amount: 300, note: Before the start, author: dana}
  - {goal: launch, date: ${day(-30)}, amount: 1200, note: Launch ads, author: dana}
`;
}

// A database of the seeded workspace (with its lesson and decision, and accounts for Ava, Omar and
// Grace) served on a port of its own.
export async function seeded(name) {
  return servedPlan(name, seedPlan(), ['ava', 'omar', 'grace'], (database) => {
    run(['comment', 'launch', 'Video beats stills', '--author', 'dana', '--date', day(-20), '--kind', 'lesson'], undefined, database);
    run(['comment', 'launch', 'Move the budget to video', '--author', 'ava', '--date', day(-19), '--kind', 'decision'], undefined, database);
  });
}

// A plan applied to a database of its own (`prepare` adds to it with the CLI), an account for
// each of `accounts` (a person of the plan, by id) and the database served on a port of its own.
export async function servedPlan(name, plan, accounts, prepare = () => {}) {
  const database = join(dir, `${name}.db`);
  const planFile = join(dir, `${name}.yaml`);
  writeFileSync(planFile, plan);
  run(['apply', planFile], undefined, database);
  prepare(database);
  for (const who of accounts) {
    run(['user', 'add', who, '--person', who, '--password-stdin'], passwords[who] + '\n', database);
  }
  const served = await serve(database);
  others.push(served.server);
  return { ...served, db: database };
}

// The demo workspace served, its accounts added and the browser started side by side: each test
// file pays this once, so it is kept short (an account's Argon2id hash takes a while of its own).
before(async () => {
  run(['demo']);
  // Ava the admin, Grace a viewer, Dana the lead of Social.
  const accounts = Promise.all(['ava', 'grace', 'dana'].map((who) => runAsync(['user', 'add', who, '--person', who, '--password-stdin'], passwords[who] + '\n')));
  const started = chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  ({ server, base } = await serve(db));
  await accounts;
  browser = await started;
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  for (const p of others) p.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

// A fresh browser context (its own cookies: a fresh profile) and page that records every console
// error, uncaught exception and CSP violation.
export async function openPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  const refusals = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const m = text.match(/^Failed to load resource: the server responded with a status of (\d+)/);
    if (m) refusals.push(`${m[1]} ${new URL(msg.location().url).pathname}`);
    else problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return { context, page, problems, refusals };
}

export async function signIn(page, name, at = base) {
  await page.goto(at + '/');
  await page.waitForURL(/\/signin$/);
  await page.getByLabel('Account name').fill(name);
  await page.getByLabel('Password').fill(passwords[name]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(at + '/');
  await page.getByRole('heading', { name: 'Goals', level: 1 }).waitFor();
}


// Where the tests leave screenshots of every page (build/screenshots/ beside the binary).
export const shots = process.env.SCREENSHOT_DIR || join(dirname(resolve(cascade)), 'screenshots');

// Every input, select, textarea and button in the page without an accessible name: its label,
// aria-labelledby, aria-label, its own text (buttons) or title.
export function unnamedControls() {
  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const nameOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label').trim();
    if (el.labels && el.labels.length) return [...el.labels].map(text).join(' ').trim();
    if (el.tagName === 'BUTTON') return text(el) || (el.getAttribute('title') ?? '').trim();
    if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) return el.value.trim();
    return (el.getAttribute('title') ?? '').trim();
  };
  return [...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.type !== 'hidden' && !nameOf(el))
    .map((el) => el.id || el.outerHTML.slice(0, 80));
}

// The accessibility pass: axe-core (web/node_modules, a devDependency, never in the bundle) on every
// page, at desktop and 390 px, in the light and the dark scheme: no violation of the WCAG 2.0/2.1
// A and AA rules. The dashboard's CSP allows no inline script, so axe's source is added as a
// <script> in a browser context made with `bypassCSP: true`: this test's contexts only; every other
// test keeps the CSP and fails on any violation of it.
const axeSource = readFileSync(join(dirname(new URL(import.meta.url).pathname), '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// axe's violations on the page as it is now, one line each: rule, impact, where, what to do.
export async function axeViolations(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
      summary: v.nodes[0]?.failureSummary?.replace(/\s+/g, ' ') ?? '',
    }));
  });
  return found.map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.slice(0, 6).join(', ')}${v.targets.length > 6 ? ` and ${v.targets.length - 6} more` : ''}: ${v.summary}`);
}

// Every page, with its path and the heading it shows when loaded: [name, path, heading].
export const everyPage = [
  ['cascade', '/', 'Goals'],
  // The demo's goal with the most to show: the owner's confidence, a contributor, a supporting goal, a
  // KPI measured against a rival's benchmark.
  ['goal', '/goal/leading-tracker', 'Establish Pulse 2 as the leading solution in mid-range fitness trackers'],
  ['review', '/review', 'Review'],
  ['insight', '/insight?a=organic-visits&b=leads&target=100&budget=10000', 'Insight'],
  ['recognition', '/recognition', 'Recognition'],
  ['mywork', '/my-work?person=maya', 'Work of Maya Johnson'],
  ['plan', '/plan', 'Plan'],
];
