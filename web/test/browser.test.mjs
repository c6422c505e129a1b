// The dashboard in a real browser: Debian's chromium driven by playwright-core against a real
// `cascade serve` of the demo workspace. Signs in through the form, reads the goal tree, opens a
// goal, records a check-in through the form and sees it appear, and checks that a viewer gets no
// check-in form. Any console error, page error or CSP violation fails the test, except the two
// refusals the test provokes on purpose (the signed-out /api/v1/me and a check-in without a value).
//
//   CASCADE_BIN=build/cascade CHROMIUM=/usr/bin/chromium node --test web/test/browser.test.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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

test('the header links every page, marks the current one, and back returns to the last', async () => {
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  for (const [name, path] of [['Review', '/review'], ['Insight', '/insight'], ['Recognition', '/recognition'], ['Plan', '/plan']]) {
    await nav.getByRole('link', { name }).click();
    await page.waitForURL(base + path);
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    assert.equal(await nav.getByRole('link', { name }).getAttribute('aria-current'), 'page');
    assert.equal(await nav.getByRole('link', { name: 'Goals' }).getAttribute('aria-current'), null);
    assert.equal(await page.title(), `${name} · Cascade`);
  }
  await page.goBack();
  await page.waitForURL(base + '/recognition');
  await page.getByRole('heading', { name: 'Recognition', level: 1 }).waitFor();
  // The keyboard alone: focus the Review link and press Enter.
  await nav.getByRole('link', { name: 'Review' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(base + '/review');
  await page.getByRole('heading', { name: 'Review', level: 1 }).waitFor();
  // Every control on every page has a label (its accessible name).
  for (const path of ['/review', '/insight', '/recognition', '/plan']) {
    await page.goto(base + path);
    await page.locator('main h1').waitFor();
    await page.waitForLoadState('networkidle');
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('main input, main select, main textarea')]
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map((el) => el.id || el.outerHTML.slice(0, 60)),
    );
    assert.deepEqual(unlabelled, [], `unlabelled controls on ${path}`);
  }
  // The JavaScript and CSS together stay under 150 KB gzipped (spec §6).
  const html = await (await page.request.get(base + '/')).text();
  let zipped = 0;
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/app-[^"]+\.(?:js|css))"/g)) {
    const body = await (await page.request.get(base + m[1])).body();
    zipped += gzipSync(body, { level: 9 }).length;
  }
  assert.ok(zipped > 10000 && zipped < 150 * 1024, `the dashboard's JS and CSS weigh ${zipped} bytes gzipped`);
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

test('insight: the correlation explorer, a funnel target, the allocation and the experiments', async () => {
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava');
  await page.goto(base + '/insight');
  await page.getByRole('heading', { name: 'Insight', level: 1 }).waitFor();

  // Correlation: organic visits lead leads by two weeks.
  await page.getByLabel('Leading KPI (A)').selectOption('organic-visits');
  await page.getByLabel('Following KPI (B)').selectOption('leads');
  await page.waitForURL(/\/insight\?a=organic-visits&b=leads$/);
  await page.getByText('Organic visits and Leads move together most at a lag of 2 weeks: r = 0.99 over 10 weeks, likely not chance (p < 0.001).').waitFor();
  await page.locator('.chart[aria-label^="r by lag: lag 0 0.88, lag 1 0.88, lag 2 0.99, lag 3 0.79, lag 4 0.82"] canvas').waitFor();
  await page.locator('.chart[aria-label^="Scatter of 10 pairs at lag 2"] canvas').waitFor();
  const lags = page.getByRole('table', { name: 'Correlation by lag' });
  assert.equal(await lags.locator('tbody tr').nth(3).innerText(), '3\t9\t0.79\tlikely not chance (p = 0.01)');
  await page.getByLabel('Largest lag').selectOption('1');
  await page.waitForURL(/max_lag=1$/);
  await page.getByText('move together most at a lag of 1 week: r = 0.88 over 11 weeks, likely not chance (p < 0.001)', { exact: false }).waitFor();
  assert.equal(await lags.locator('tbody tr').count(), 2);
  // Back undoes the choice.
  await page.goBack();
  await page.waitForURL(/\/insight\?a=organic-visits&b=leads$/);
  await page.getByText('at a lag of 2 weeks', { exact: false }).waitFor();
  assert.equal(await lags.locator('tbody tr').count(), 5);

  // Funnel: rates, then a target derives the volumes each stage needs.
  const funnel = page.getByRole('table', { name: 'Stages of Inbound funnel' });
  await funnel.waitFor();
  assert.equal(await funnel.locator('tbody tr').nth(1).innerText(), 'Leads\t3,967 leads\t2%');
  await page.getByLabel('Target for the last stage').fill('100');
  await page.getByRole('button', { name: 'Derive volumes' }).click();
  await page.waitForURL(/target=100/);
  await funnel.getByRole('columnheader', { name: 'Required' }).waitFor();
  assert.equal(await funnel.locator('tbody tr').nth(0).innerText(), 'Organic visits\t176,500 visits\t—\t191,848 visits\t15,348 visits');
  assert.equal(await funnel.locator('tbody tr').nth(3).innerText(), 'New customers\t92 customers\t11%\t100 customers\t8 customers');
  // A refused target: the API's message beside the input.
  await page.getByLabel('Target for the last stage').fill('-5');
  await page.getByRole('button', { name: 'Derive volumes' }).click();
  await page.locator('#funnel-target-error').waitFor();
  assert.equal(
    await page.locator('#funnel-target-error').innerText(),
    "funnel 'inbound': target -5 is not allowed; the target is a volume of the last stage, from 0 to 1e15",
  );
  assert.equal(await page.getByLabel('Target for the last stage').getAttribute('aria-invalid'), 'true');

  // Allocation: a budget split into amounts.
  await page.getByLabel('Budget').fill('10000');
  await page.getByRole('button', { name: 'Split the budget' }).click();
  await page.getByText('10,000 split across 10 goals', { exact: false }).waitFor();
  const first = page.getByRole('list', { name: 'Amounts by goal' }).locator('li').first();
  assert.match(await first.innerText(), /2,734\.38 \(27%\)$/);

  // Experiments: lift with its interval, in words and drawn.
  await page
    .getByText(
      'Variant 6% against control 4%: lift +2.0 points (95% interval +0.6 to +3.3 points), +50% relative; likely not chance (p = 0.004).',
    )
    .waitFor();
  await page.locator('.whisker[aria-label="Lift +2.0 points, 95% interval +0.6 to +3.3; zero marked"]').waitFor();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), ['401 /api/v1/me', '422 /api/v1/funnels/inbound/analysis']);
  await context.close();
});

test('recognition: the leaderboard and streaks', async () => {
  const { context, page, problems, refusals } = await openPage({ width: 390, height: 844 });
  await signIn(page, 'ava');
  await page.goto(base + '/recognition');
  const board = page.getByRole('table', { name: /^Points as of/ });
  await board.waitFor();
  assert.equal(await board.locator('tbody tr').first().innerText(), '1\tLena Fischer\t34\t1\t0\t24\t100%\t100%');
  assert.equal(await board.locator('tbody tr').nth(1).innerText(), '2\tOmar Haddad\t32\t0\t1\t32\t64%\t100%');
  await page.getByRole('listitem').filter({ hasText: 'Marcus Chen: 13 weeks in a row with a check-in on time' }).waitFor();
  const win = page.locator('section[aria-labelledby="wins-title"] li');
  assert.equal(await win.innerText(), '★ Generate 10,000 social media followers in the first month — Dana Lee');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide on a 390-px screen`);
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

test('review: the agenda, recording a review with notes, and the past reviews', async () => {
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava');
  await page.goto(base + '/review');
  await page.getByRole('heading', { name: 'Off track (3)', level: 2 }).waitFor();
  await page.getByRole('heading', { name: 'At risk (4)', level: 2 }).waitFor();
  await page.getByRole('heading', { name: 'Missed (1)', level: 2 }).waitFor();
  await page.getByText('since review #1 of 2026-11-20', { exact: false }).waitFor();
  const offTrack = page.locator('section[aria-labelledby="off-track"] li').first();
  assert.equal(
    await offTrack.innerText(),
    'Improve email open rate by 10% this month — Priya Patel\n25% done, 83% expected by now',
  );
  await page.locator('section[aria-labelledby="missed"] li').getByText('82% done by 2026-11-08').waitFor();
  await page.locator('section[aria-labelledby="stale"] li').getByText('Media mentions').waitFor();
  await page.getByRole('heading', { name: /^Comments since the last review \(\d+\)$/, level: 2 }).waitFor();
  await page.locator('section[aria-labelledby="review-comments"] li').getByText('Sofia, can we get an update?', { exact: false }).waitFor();
  const past = page.getByRole('table', { name: 'Recorded reviews, newest first' });
  assert.equal(await past.locator('tbody tr').count(), 1);

  await page.getByLabel('Notes').fill('Weekly review from the browser test');
  await page.getByRole('button', { name: 'Record review' }).click();
  await page.getByRole('status').filter({ hasText: /^Recorded review #2 of \d{4}-\d{2}-\d{2}\.$/ }).waitFor();
  await past.locator('tbody tr').nth(1).waitFor();
  assert.match(await past.locator('tbody tr').first().innerText(), /^2\t\d{4}-\d{2}-\d{2}\tthe whole company\t\d+\tWeekly review from the browser test$/);
  // The agenda now counts from the new review.
  await page.getByText('since review #2 of', { exact: false }).waitFor();

  // A viewer reads the agenda but gets no record form; on a 390-px phone nothing is wider than
  // the screen, here or on the insight page.
  const viewer = await openPage({ width: 390, height: 844 });
  await signIn(viewer.page, 'grace');
  await viewer.page.goto(base + '/review');
  await viewer.page.getByRole('heading', { name: 'Off track (3)', level: 2 }).waitFor();
  await viewer.page.getByRole('table', { name: 'Progress then and now, by goal' }).waitFor();
  assert.equal(await viewer.page.getByRole('button', { name: 'Record review' }).count(), 0);
  assert.equal(await viewer.page.getByLabel('Notes').count(), 0);
  let width = await viewer.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the review page is ${width} px wide on a 390-px screen`);
  await viewer.page.goto(base + '/insight?a=organic-visits&b=leads&target=100&budget=10000');
  await viewer.page.getByRole('table', { name: 'Stages of Inbound funnel' }).getByRole('columnheader', { name: 'Required' }).waitFor();
  await viewer.page.locator('.chart[aria-label^="Scatter of 10 pairs"] canvas').waitFor();
  await viewer.page.getByRole('list', { name: 'Amounts by goal' }).waitFor();
  width = await viewer.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the insight page is ${width} px wide on a 390-px screen`);
  assert.deepEqual(viewer.problems, []);
  await viewer.context.close();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

test('plan: download the plan, upload one to see its diff and apply it, add a goal and a KPI', async () => {
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava');
  await page.goto(base + '/plan');
  await page.getByRole('heading', { name: 'Plan', level: 1 }).waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the plan (YAML)' }).click()]);
  assert.equal(download.suggestedFilename(), 'cascade-plan.yaml');
  const yaml = readFileSync(await download.path(), 'utf8');
  assert.match(yaml, /^  - id: market-share$/m);

  // An upload shows its dry-run diff; nothing changes until it is applied.
  const plan = 'version: 1\nteams:\n  - {id: growth-lab, name: Growth Lab, parent: marketing}\n  - {id: social, name: Social & Community, parent: marketing}\n';
  await page.getByLabel('Plan file', { exact: true }).setInputFiles({ name: 'growth.yaml', mimeType: 'application/yaml', buffer: Buffer.from(plan) });
  await page.getByLabel('Plan (from growth.yaml)').waitFor();
  await page.getByRole('button', { name: 'Show the changes' }).click();
  await page.getByRole('heading', { name: 'The plan would make 2 changes' }).waitFor();
  await page.getByText('+ create team growth-lab').waitFor();
  await page.getByText('~ update team social').waitFor();
  const fields = page.getByRole('table', { name: 'Fields of team social that change' });
  assert.equal(await fields.locator('tbody tr').first().innerText(), 'name\tSocial Media\tSocial & Community');
  assert.equal(JSON.parse(run(['team', 'list', '--json'])).teams.some((t) => t.id === 'growth-lab'), false);
  await page.getByRole('button', { name: 'Apply these changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Applied: 2 changes.' }).waitFor();
  const teams = JSON.parse(run(['team', 'list', '--json'])).teams;
  assert.equal(teams.find((t) => t.id === 'growth-lab')?.name, 'Growth Lab');
  assert.equal(teams.find((t) => t.id === 'social')?.name, 'Social & Community');

  // A plan with an error: its message beside the plan, nothing changed.
  await page.getByLabel('Plan (or paste it here)').fill('version: 1\nteams:\n  - {id: x, nam: X}\n');
  await page.getByRole('button', { name: 'Show the changes' }).click();
  await page.locator('#plan-text-error').waitFor();
  assert.equal(await page.locator('#plan-text-error').innerText(), "plan:3: team 'x': unknown field 'nam'; allowed: id, name, parent");

  // Add a goal: a refusal beside the field it names, then the goal.
  await page.getByRole('button', { name: 'Add goal' }).click();
  await page.locator('#goal-id-error').waitFor();
  assert.equal(await page.locator('#goal-id-error').innerText(), "goal: 'id' is required");
  assert.equal(await page.getByLabel('Id', { exact: true }).getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Id', { exact: true }).fill('browser-goal');
  await page.getByLabel('Title').fill('Goal added from the browser');
  await page.getByLabel('Parent goal').selectOption('market-share');
  await page.getByRole('button', { name: 'Add goal' }).click();
  await page.getByRole('link', { name: 'Goal added from the browser' }).waitFor();

  // Add a KPI to it.
  await page.getByLabel('KPI id').fill('browser-kpi');
  await page.getByRole('button', { name: 'Add KPI' }).click();
  await page.locator('#kpi-goal-error').waitFor();
  assert.equal(await page.locator('#kpi-goal-error').innerText(), "kpi 'browser-kpi': 'goal' is required");
  await page.getByLabel('Goal measured').selectOption('browser-goal');
  await page.getByLabel('Name', { exact: true }).fill('Browser signups');
  await page.getByLabel('Target').fill('40');
  await page.getByRole('button', { name: 'Add KPI' }).click();
  await page.getByRole('status').filter({ hasText: 'Added KPI Browser signups.' }).waitFor();
  const kpi = await (await page.request.get(base + '/api/v1/kpis/browser-kpi')).json();
  assert.equal(kpi.goal, 'browser-goal');
  assert.equal(kpi.target, 40);

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), ['400 /api/v1/goals', '400 /api/v1/kpis', '401 /api/v1/me', '422 /api/v1/apply']);
  await context.close();
});

test('a viewer sees the plan file but no upload or forms', async () => {
  const { context, page, problems, refusals } = await openPage({ width: 390, height: 844 });
  await signIn(page, 'grace');
  await page.goto(base + '/plan');
  await page.getByRole('link', { name: 'Download the plan (YAML)' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Upload a plan' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Add goal' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Add KPI' }).count(), 0);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide on a 390-px screen`);
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
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
