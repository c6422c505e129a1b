// The dashboard in a real browser: Debian's chromium driven by playwright-core against a real
// `cascade serve` of the demo workspace. Signs in through the form, reads the goal tree, opens a
// goal, records a check-in through the form and sees it appear, and checks that a viewer gets no
// check-in form. Any console error, page error or CSP violation fails the test, except the two
// refusals the test provokes on purpose (the signed-out /api/v1/me and a check-in without a value).
//
//   CASCADE_BIN=build/cascade CHROMIUM=/usr/bin/chromium node --test web/test/browser.test.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const cascade = process.env.CASCADE_BIN;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
assert.ok(cascade && existsSync(cascade), 'set CASCADE_BIN to the built cascade binary');
assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: run scripts/install-deps (Debian's chromium)`);

const dir = mkdtempSync(join(tmpdir(), 'cascade-browser-'));
const db = join(dir, 'demo.db');
const passwords = { ava: 'ava-password-1', grace: 'grace-password-1' };
let server;
let base;
const others = [];  // servers of the tests' own databases
let browser;

function run(args, input, database = db) {
  return execFileSync(cascade, ['--db', database, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

// `cascade serve` of `database` on a free port: the process and its base URL.
async function serve(database) {
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

before(async () => {
  run(['demo']);
  run(['user', 'add', 'ava', '--person', 'ava', '--password-stdin'], passwords.ava + '\n');  // admin
  run(['user', 'add', 'grace', '--person', 'grace', '--password-stdin'], passwords.grace + '\n');  // viewer
  ({ server, base } = await serve(db));
  browser = await chromium.launch({
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
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  for (const p of others) p.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

// A fresh browser context (its own cookies: a fresh profile) and page that records every console
// error, uncaught exception and CSP violation.
async function openPage(viewport = { width: 1280, height: 900 }) {
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

async function signIn(page, name, at = base) {
  await page.goto(at + '/');
  await page.waitForURL(/\/signin$/);
  await page.getByLabel('Account name').fill(name);
  await page.getByLabel('Password').fill(passwords[name]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(at + '/');
  await page.getByRole('heading', { name: 'Goals', level: 1 }).waitFor();
}

test('an admin signs in, reads the tree, opens a goal and records a check-in', async () => {
  const { context, page, problems, refusals } = await openPage();

  await signIn(page, 'ava');
  // The tree: the demo's goals, each with a status word.
  const shareLink = page.getByRole('link', { name: 'Achieve 20% market share within six months of launch' });
  await shareLink.waitFor();
  await page.getByRole('link', { name: 'Secure 1,000 pre-orders in the first week' }).waitFor();
  const firstRow = page.locator('.goal-row').first();
  assert.match(await firstRow.locator('.status').innerText(), /(on track|at risk|off track|achieved|missed|not started|unscheduled|unmeasured)/);
  assert.match(await firstRow.locator('.pct').innerText(), /^(\d+%|—)$/);
  assert.ok((await page.locator('.goal-row').count()) >= 15, 'the demo has more than fifteen goals');

  // Expanding a row shows its KPI values.
  await page.getByRole('button', { name: 'Show the KPIs of Achieve 20% market share within six months of launch' }).click();
  await page.getByRole('list', { name: 'KPIs of Achieve 20% market share within six months of launch' }).getByText('Market share').waitFor();

  // A filter goes into the URL, and back undoes it.
  await page.getByLabel('Level').selectOption('macro');
  await page.waitForURL(/\?level=macro$/);
  assert.equal(await page.getByRole('link', { name: 'Secure 1,000 pre-orders in the first week' }).count(), 0);
  await page.goBack();
  await page.waitForURL(base + '/');
  await page.getByRole('link', { name: 'Secure 1,000 pre-orders in the first week' }).waitFor();

  // The search box filters as one types, kept in the URL; matches come with their ancestors.
  await page.getByLabel('Search').fill('pre-orders');
  await page.waitForURL(/\?q=pre-orders$/);
  await page.getByText('1 of 26 goals match', { exact: false }).waitFor();
  assert.equal(await page.locator('.goal-row').count(), 2);  // the match and its parent
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.waitForURL(base + '/');

  // Time travel: the as-of date reloads the tree with as_of=.
  const monthAgo = new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel('As of', { exact: true }).fill(monthAgo);
  await page.waitForURL(new RegExp(`\\?as_of=${monthAgo}$`));
  await page.getByText(`goals as of ${monthAgo}`).waitFor();
  await page.getByRole('link', { name: 'Back to today' }).click();
  await page.waitForURL(base + '/');

  // The goal page: its details and a chart per KPI.
  await shareLink.click();
  await page.waitForURL(base + '/goal/market-share');
  await page.getByRole('heading', { name: 'Achieve 20% market share within six months of launch', level: 1 }).waitFor();
  await page.locator('.chart canvas').first().waitFor();
  assert.equal(await page.locator('.chart').count(), 2);  // market share and NPS

  // A refused check-in: the API's message next to the field it names, nothing recorded.
  await page.getByLabel('KPI', { exact: true }).selectOption('tracker-share');
  await page.getByRole('button', { name: 'Record check-in' }).click();
  const valueError = page.locator('#checkin-value-error');
  await valueError.waitFor();
  assert.equal(await valueError.innerText(), "check-in: 'value' is required");
  assert.equal(await page.getByLabel('Value', { exact: true }).getAttribute('aria-invalid'), 'true');

  // A check-in through the form appears in the KPI's table without a reload.
  await page.getByLabel('Value', { exact: true }).fill('5.2');
  await page.getByLabel('Note', { exact: true }).fill('Recorded from the browser test');
  await page.getByRole('button', { name: 'Record check-in' }).click();
  await page.getByRole('status').filter({ hasText: 'Recorded 5.2 for Market share' }).waitFor();
  const table = page.getByRole('table', { name: /Market share/ });
  const newest = table.locator('tbody tr').first();
  await newest.getByText('Recorded from the browser test').waitFor();
  assert.equal(await newest.locator('td').nth(1).innerText(), '5.2%');
  assert.equal(await newest.locator('td').nth(2).innerText(), 'Ava Thompson');
  assert.equal(await page.getByLabel('Value', { exact: true }).getAttribute('aria-invalid'), null);
  // The KPI's numbers and chart follow, still without a reload.
  await page.locator('.chart[aria-label^="Chart of Market share: value 5.2%,"]').waitFor();
  await page.getByText('Value 5.2% of target 20%').waitFor();

  // After a reload the session (and its CSRF token) still works for writes: a comment.
  await page.reload();
  await page.getByLabel('Add a comment').fill('Promo starts Monday');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.comments').getByText('Promo starts Monday').waitFor();

  // Back goes to the tree, which shows the new value.
  await page.goBack();
  await page.waitForURL(base + '/');
  await page.getByRole('heading', { name: 'Goals', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Show the KPIs of Achieve 20% market share within six months of launch' }).click();
  await page.getByRole('list', { name: 'KPIs of Achieve 20% market share within six months of launch' }).getByText('5.2% of 20%').waitFor();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), ['400 /api/v1/checkins', '401 /api/v1/me']);
  await context.close();
});

test('a viewer sees the goal but no check-in form, on a 390-px screen', async () => {
  const { context, page, problems, refusals } = await openPage({ width: 390, height: 844 });
  await signIn(page, 'grace');
  await page.goto(base + '/goal/preorders');
  await page.getByRole('heading', { name: 'Secure 1,000 pre-orders in the first week', level: 1 }).waitFor();
  await page.locator('.chart canvas').first().waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Record a check-in' }).count(), 0);
  assert.equal(await page.getByLabel('Value', { exact: true }).count(), 0);
  // Every account may comment (spec §1).
  await page.getByLabel('Add a comment').waitFor();
  // Nothing is wider than the screen.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide on a 390-px screen`);
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

test('a tree of 400 goals draws only the rows near the screen, and scrolling reaches the last', async () => {
  const bigDb = join(dir, 'big.db');
  let plan = 'version: 1\npeople:\n  - {id: ava, name: Ava Admin, role: admin}\ngoals:\n';
  for (let i = 0; i < 400; ++i) {
    plan += `  - {id: g${i}, title: Goal number ${i} of the big tree, level: macro, owner: ava, start: 2026-01-01, due: 2026-12-31}\n`;
  }
  const planFile = join(dir, 'big.yaml');
  writeFileSync(planFile, plan);
  run(['apply', planFile], undefined, bigDb);
  run(['user', 'add', 'ava', '--person', 'ava', '--password-stdin'], passwords.ava + '\n', bigDb);
  const big = await serve(bigDb);
  others.push(big.server);

  const { context, page, problems } = await openPage();
  await signIn(page, 'ava', big.base);
  await page.getByRole('link', { name: 'Goal number 0 of the big tree' }).waitFor();
  const drawn = await page.locator('.goal-row').count();
  assert.ok(drawn > 10 && drawn < 100, `${drawn} rows drawn of 400`);
  assert.equal(await page.locator('ol.tree > li').first().getAttribute('aria-setsize'), '400');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.getByRole('link', { name: 'Goal number 399 of the big tree' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Goal number 0 of the big tree' }).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('live: a check-in from the CLI (another process) shows in an open tree without a reload', async () => {
  const liveDb = join(dir, 'live.db');
  const plan = `version: 1
people:
  - {id: ava, name: Ava Admin, role: admin}
goals:
  - id: reach
    title: Reach a hundred customers
    level: macro
    owner: ava
    start: 2026-01-01
    due: 2099-12-31
    kpis:
      - {id: customers, name: Customers, kind: level, baseline: 0, target: 100}
checkins:
  - {kpi: customers, date: 2026-01-15, value: 10}
`;
  const planFile = join(dir, 'live.yaml');
  writeFileSync(planFile, plan);
  run(['apply', planFile], undefined, liveDb);
  run(['user', 'add', 'ava', '--person', 'ava', '--password-stdin'], passwords.ava + '\n', liveDb);
  const live = await serve(liveDb);
  others.push(live.server);

  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava', live.base);
  const row = page.locator('.goal-row').filter({ has: page.getByRole('link', { name: 'Reach a hundred customers' }) });
  await row.waitFor();
  assert.equal(await row.locator('.pct').innerText(), '10%');
  await page.evaluate(() => { window.__notReloaded = true; });

  run(['checkin', 'customers', '40'], undefined, liveDb);
  const started = Date.now();
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('.goal-row')].find((e) => e.textContent.includes('Reach a hundred customers'));
    return r?.querySelector('.pct')?.textContent === '40%';
  }, null, { timeout: 2000 });
  assert.ok(Date.now() - started <= 2000);
  assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was not reloaded');
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});
