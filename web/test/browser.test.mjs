// The dashboard in a real browser: Debian's chromium driven by playwright-core against a real
// `cascade serve` of the demo workspace. Signs in through the form, reads the goal tree, opens a
// goal, records a check-in through the form and sees it appear, and checks that a viewer gets no
// check-in form. Any console error, page error or CSP violation fails the test, except the two
// refusals the test provokes on purpose (the signed-out /api/v1/me and a check-in without a value).
//
//   CASCADE_BIN=build/cascade CHROMIUM=/usr/bin/chromium node --test web/test/browser.test.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const cascade = process.env.CASCADE_BIN;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
assert.ok(cascade && existsSync(cascade), 'set CASCADE_BIN to the built cascade binary');
assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: run scripts/install-deps (Debian's chromium)`);

const dir = mkdtempSync(join(tmpdir(), 'cascade-browser-'));
const db = join(dir, 'demo.db');
const passwords = { ava: 'ava-password-1', grace: 'grace-password-1', dana: 'dana-password-1', maya: 'maya-password-1', omar: 'omar-password-1' };
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

// A day relative to today (UTC), as YYYY-MM-DD: the seeded workspace's windows are centred on the
// day the test runs, so that its statuses and percentages are the same whenever it runs.
function day(offset) {
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
function seedPlan() {
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
async function seeded(name) {
  const database = join(dir, `${name}.db`);
  const planFile = join(dir, `${name}.yaml`);
  writeFileSync(planFile, seedPlan());
  run(['apply', planFile], undefined, database);
  run(['comment', 'launch', 'Video beats stills', '--author', 'dana', '--date', day(-20), '--kind', 'lesson'], undefined, database);
  run(['comment', 'launch', 'Move the budget to video', '--author', 'ava', '--date', day(-19), '--kind', 'decision'], undefined, database);
  for (const who of ['ava', 'omar', 'grace']) {
    run(['user', 'add', who, '--person', who, '--password-stdin'], passwords[who] + '\n', database);
  }
  const served = await serve(database);
  others.push(served.server);
  return { ...served, db: database };
}

before(async () => {
  run(['demo']);
  run(['user', 'add', 'ava', '--person', 'ava', '--password-stdin'], passwords.ava + '\n');  // admin
  run(['user', 'add', 'grace', '--person', 'grace', '--password-stdin'], passwords.grace + '\n');  // viewer
  run(['user', 'add', 'dana', '--person', 'dana', '--password-stdin'], passwords.dana + '\n');  // lead of social
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
  // exact: a demo goal's KPI button names 'branded searches'.
  await page.getByLabel('Search', { exact: true }).fill('pre-orders');
  await page.waitForURL(/\?q=pre-orders$/);
  await page.getByText('1 of 35 goals match', { exact: false }).waitFor();
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
  // Every account may comment (spec §1); editing the goal is not offered.
  await page.getByLabel('Add a comment').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Edit goal' }).count(), 0);
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
  for (const [name, path] of [['My work', '/my-work'], ['Review', '/review'], ['Insight', '/insight'], ['Recognition', '/recognition'], ['Plan', '/plan']]) {
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
  for (const path of ['/my-work', '/review', '/insight', '/recognition', '/plan']) {
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
  // The JavaScript and CSS together stay under 150 KB gzipped (spec §6): what index.html names,
  // and every chunk a script imports (the pages loaded when shown), followed to the end.
  const html = await (await page.request.get(base + '/')).text();
  let zipped = 0;
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  for (let i = 0; i < files.length; ++i) {
    const body = await (await page.request.get(base + files[i])).body();
    zipped += gzipSync(body, { level: 9 }).length;
    if (!files[i].endsWith('.js')) continue;
    for (const m of body.toString().matchAll(/["']\.\/([\w-]+\.js)["']/g)) {
      if (!files.includes('/assets/' + m[1])) files.push('/assets/' + m[1]);
    }
  }
  assert.ok(files.some((f) => /^\/assets\/goal-/.test(f)), `the goal page's chunk is among ${files.join(', ')}`);
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

test("my work: the signed-in person's to-do list as `todo --json` has it, an action marked done in one click, another person's list", async () => {
  // A database of its own: marking an action done must not change what the other tests read.
  const workDb = join(dir, 'work.db');
  run(['demo'], undefined, workDb);
  run(['user', 'add', 'maya', '--person', 'maya', '--password-stdin'], passwords.maya + '\n', workDb);  // lead of brand
  const served = await serve(workDb);
  others.push(served.server);
  const { context, page, problems, refusals } = await openPage({ width: 390, height: 844 });
  await signIn(page, 'maya', served.base);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'My work' }).click();
  await page.waitForURL(served.base + '/my-work');
  await page.getByRole('heading', { name: 'My work', level: 1 }).waitFor();
  await page.getByText(/^As of /).waitFor();
  const todo = JSON.parse(run(['--json', 'todo', '--person', 'maya'], undefined, workDb));
  const sections = [
    ['Check-ins due', todo.checkins_due.length],
    ['Goals at risk', todo.goals_at_risk.length],
    ['Judgement and numbers disagree', todo.disagreements.length],
    ['Overdue actions', todo.overdue_actions.length],
    ['Actions due within a week', todo.upcoming_actions.length],
    ['Reviews due', todo.reviews_due.length],
  ];
  assert.ok(todo.goals_at_risk.length > 0 && todo.upcoming_actions.length > 0, JSON.stringify(todo));
  for (const [heading, n] of sections) {
    const h = page.getByRole('heading', { name: `${heading} (${n})`, level: 2 });
    assert.equal(await h.count(), n > 0 ? 1 : 0, `${heading}: ${n} in todo --json`);
    if (n > 0) assert.equal(await h.locator('xpath=..').locator('li').count(), n, heading);
  }
  for (const c of todo.checkins_due) await page.getByRole('link', { name: `Check in ${c.kpi}` }).waitFor();
  for (const r of todo.reviews_due) await page.getByText(`Team ${r.team}:`).waitFor();
  // A lead marks an action done from here: the API stores it, and the CLI's list loses it.
  const action = todo.upcoming_actions[0];
  await page.getByRole('button', { name: `Mark “${action.title}” done` }).click();
  await page.getByRole('status').filter({ hasText: 'Done ✓' }).waitFor();
  const after = JSON.parse(run(['--json', 'todo', '--person', 'maya'], undefined, workDb));
  assert.ok(!after.upcoming_actions.some((a) => a.action === action.action), JSON.stringify(after));
  // Another person's list, chosen from the select, is in the URL.
  await page.getByLabel('Whose list').selectOption('sofia');
  await page.waitForURL(served.base + '/my-work?person=sofia');
  await page.getByRole('heading', { name: 'Work of Sofia Rossi', level: 1 }).waitFor();
  const sofia = JSON.parse(run(['--json', 'todo', '--person', 'sofia'], undefined, workDb));
  await page.getByRole('heading', { name: `Goals at risk (${sofia.goals_at_risk.length})`, level: 2 }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide on a 390-px screen`);
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

test('recognition: the leaderboard and streaks', async () => {
  const { context, page, problems, refusals } = await openPage({ width: 390, height: 844 });
  await signIn(page, 'ava');
  await page.goto(base + '/recognition');
  const board = page.getByRole('table', { name: /^Points as of/ });
  await board.waitFor();
  // Omar: 37 check-ins (his 32 and the 5 of the rival's share), no goal achieved, launch-reviews
  // missed; mean progress of launch-reviews 82%, testimonials 46% and review-roundups 0% (he
  // contributes to it): 42%.
  assert.equal(await board.locator('tbody tr').first().innerText(), '1\tOmar Haddad\t37\t0\t1\t37\t42%\t100%');
  assert.equal(await board.locator('tbody tr').nth(1).innerText(), '2\tLena Fischer\t34\t1\t0\t24\t100%\t100%');
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
  // Off track: review-roundups besides the three; missed: last quarter's brand-film-views and
  // branded-search besides launch-reviews.
  await page.getByRole('heading', { name: 'Off track (4)', level: 2 }).waitFor();
  await page.getByRole('heading', { name: 'At risk (4)', level: 2 }).waitFor();
  await page.getByRole('heading', { name: 'Missed (3)', level: 2 }).waitFor();
  // The demo's last review was 14 days ago; launch-reviews was due 26 days ago.
  await page.getByText(`since review #1 of ${day(-14)}`, { exact: false }).waitFor();
  const offTrack = page.locator('section[aria-labelledby="off-track"] li').first();
  assert.equal(
    await offTrack.innerText(),
    'Win best mid-range tracker in 2 review roundups — Sofia Rossi\n0% done, 66% expected by now',
  );
  await page.locator('section[aria-labelledby="missed"] li').getByText(`82% done by ${day(-26)}`).waitFor();
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
  await viewer.page.getByRole('heading', { name: 'Off track (4)', level: 2 }).waitFor();
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
  for (const name of ['Goal to edit', 'KPI to edit', 'Team id', 'Person id']) assert.equal(await page.getByLabel(name).count(), 0, name);
  for (const name of ['Save goal', 'Save KPI', 'Add team', 'Add person']) assert.equal(await page.getByRole('button', { name }).count(), 0, name);
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

test('goal page: actions ticked off and added, the history, and a CLI check-in shown live within a second', async () => {
  const goalDb = join(dir, 'goal.db');
  const plan = `version: 1
people:
  - {id: ava, name: Ava Admin, role: admin}
  - {id: grace, name: Grace Viewer, role: viewer}
goals:
  - id: reach
    title: Reach a hundred customers
    level: macro
    owner: ava
    start: 2026-01-01
    due: 2099-12-31
    kpis:
      - {id: customers, name: Customers, kind: level, baseline: 0, target: 100}
    actions:
      - {id: brief, title: Brief the agency, owner: ava, due: 2026-02-01}
      - {id: launch, title: Launch the campaign, owner: grace, due: 2099-01-01, depends_on: [brief]}
checkins:
  - {kpi: customers, date: 2026-01-15, value: 10}
`;
  const planFile = join(dir, 'goal.yaml');
  writeFileSync(planFile, plan);
  run(['apply', planFile], undefined, goalDb);
  run(['user', 'add', 'ava', '--person', 'ava', '--password-stdin'], passwords.ava + '\n', goalDb);
  run(['user', 'add', 'grace', '--person', 'grace', '--password-stdin'], passwords.grace + '\n', goalDb);
  const served = await serve(goalDb);
  others.push(served.server);

  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava', served.base);
  await page.goto(served.base + '/goal/reach');
  await page.getByText('Value 10 of target 100').waitFor();
  await page.locator('.chart[aria-label^="Chart of Customers: value 10,"] canvas').waitFor();

  // Actions with owners, due dates and dependencies.
  const actions = page.locator('.action-list > li');
  assert.equal(await actions.count(), 2);
  assert.equal(await actions.nth(0).locator('.action-facts').innerText(), 'Ava Admin · overdue since 2026-02-01');
  assert.equal(await actions.nth(1).locator('.action-facts').innerText(), 'Grace Viewer · due 2099-01-01 · waits for Brief the agency');
  await page.getByRole('heading', { name: 'Actions (2 open of 2)' }).waitFor();

  // Ticking off one whose dependency is open: the API's refusal (409) beside that action, which
  // stays open.
  await page.getByRole('checkbox', { name: 'Launch the campaign (open)' }).click();
  await page.locator('#done-launch-error').waitFor();
  assert.equal(
    await page.locator('#done-launch-error').innerText(),
    "action 'launch' cannot be marked done while 'brief', which it depends on, is open; mark it done first",
  );
  assert.equal(await page.getByRole('checkbox', { name: 'Launch the campaign (open)' }).getAttribute('aria-describedby'), 'done-launch-error');
  assert.equal(await page.getByRole('checkbox', { name: 'Launch the campaign (open)' }).isChecked(), false);
  assert.equal((await (await page.request.get(served.base + '/api/v1/actions/launch')).json()).done, false);

  // Ticking one off: the API records it, the dependent action no longer waits.
  await page.getByRole('checkbox', { name: 'Brief the agency (open)' }).check();
  await page.getByRole('heading', { name: 'Actions (1 open of 2)' }).waitFor();
  await page.getByRole('checkbox', { name: 'Brief the agency (done)' }).waitFor();
  assert.equal(await actions.nth(1).locator('.action-facts').innerText(), 'Grace Viewer · due 2099-01-01 · after Brief the agency');
  assert.equal((await (await page.request.get(served.base + '/api/v1/actions/brief')).json()).done, true);

  // Adding one: a refusal beside the field it names, then the action with its id from the title.
  await page.getByRole('button', { name: 'Add action' }).click();
  await page.locator('#action-id-error').waitFor();
  assert.equal(await page.locator('#action-id-error').innerText(), "action: 'id' is required");
  assert.equal(await page.getByLabel('Id (from the title if empty)').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Action', { exact: true }).fill('Book the venue');
  await page.getByLabel('Owner').selectOption('grace');
  await page.getByLabel('Due').fill('2099-03-01');
  await page.getByLabel('After').selectOption('launch');
  await page.getByRole('button', { name: 'Add action' }).click();
  await page.getByRole('status').filter({ hasText: 'Added the action Book the venue.' }).waitFor();
  await page.getByRole('heading', { name: 'Actions (2 open of 3)' }).waitFor();
  assert.equal(await actions.nth(2).locator('.action-facts').innerText(), 'Grace Viewer · due 2099-03-01 · waits for Launch the campaign');
  const added = await (await page.request.get(served.base + '/api/v1/actions/book-the-venue')).json();
  assert.deepEqual([added.goal, added.owner, added.due, added.depends_on], ['reach', 'grace', '2099-03-01', ['launch']]);

  // The history, newest first: the two writes just made, by the signed-in person.
  const history = page.locator('ol.history > li');
  await history.first().getByText('added the action “Book the venue”').waitFor();
  assert.match(await history.nth(0).innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} Ava Admin added the action “Book the venue”$/);
  assert.match(await history.nth(1).innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} Ava Admin completed the action “Brief the agency”$/);

  // Live: another process checks in; the open page's number, chart and history follow within a
  // second, without a reload.
  await page.evaluate(() => { window.__notReloaded = true; });
  const today = new Date().toISOString().slice(0, 10);
  run(['checkin', 'customers', '40'], undefined, goalDb);
  const started = Date.now();
  await page.waitForFunction(
    () => document.querySelector('.chart[aria-label^="Chart of Customers: value 40,"] canvas') !== null &&
      document.querySelector('.kpi-numbers')?.textContent.startsWith('Value 40 of target 100'),
    null,
    { timeout: 1000 },
  );
  const took = Date.now() - started;
  assert.ok(took <= 1000, `the goal page showed the CLI's check-in after ${took} ms`);
  await history.first().getByText(`checked in 40 on Customers for ${today}`).waitFor();
  assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was not reloaded');

  // A viewer reads the actions but can neither tick them off nor add one.
  const viewer = await openPage({ width: 390, height: 844 });
  await signIn(viewer.page, 'grace', served.base);
  await viewer.page.goto(served.base + '/goal/reach');
  await viewer.page.getByRole('heading', { name: 'Actions (2 open of 3)' }).waitFor();
  assert.equal(await viewer.page.getByRole('checkbox').count(), 0);
  assert.equal(await viewer.page.getByRole('button', { name: 'Add action' }).count(), 0);
  await viewer.page.locator('ol.history > li').first().waitFor();
  assert.deepEqual(viewer.problems, []);
  assert.deepEqual(viewer.refusals, ['401 /api/v1/me']);
  await viewer.context.close();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), ['400 /api/v1/actions', '401 /api/v1/me', '409 /api/v1/actions/launch']);
  await context.close();
});

test('plan: edit a goal (a stale version is refused plainly), edit a KPI, add a team and a person', async () => {
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava');
  await page.goto(base + '/plan');
  await page.getByLabel('Goal to edit').selectOption('preorders');
  const title = page.locator('#edit-goal-title');
  await title.waitFor();
  assert.equal(await title.inputValue(), 'Secure 1,000 pre-orders in the first week');

  // A field error: the API's message beside the field it names.
  await title.fill('');
  await page.getByRole('button', { name: 'Save goal' }).click();
  await page.locator('#edit-goal-title-error').waitFor();
  assert.equal(await page.locator('#edit-goal-title-error').innerText(), "goal 'preorders': title is empty; every goal needs a title");
  assert.equal(await title.getAttribute('aria-invalid'), 'true');

  // An edit, sent with the version it was read at.
  await title.fill('Secure 1,200 pre-orders in the first week');
  await page.locator('#edit-goal-priority').selectOption('low');
  await page.getByRole('button', { name: 'Save goal' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved Secure 1,200 pre-orders in the first week (version 2).' }).waitFor();
  let stored = await (await page.request.get(base + '/api/v1/goals/preorders')).json();
  assert.deepEqual([stored.goal.title, stored.goal.priority, stored.goal.version], ['Secure 1,200 pre-orders in the first week', 'low', 2]);

  // Someone else changes the goal (the CLI) while the form is open: saving is refused, said plainly,
  // and nothing is overwritten; "Load their version" brings their change into the form.
  run(['goal', 'set', 'preorders', '--channel', 'email']);
  await title.fill('Secure 1,500 pre-orders in the first week');
  await page.getByRole('button', { name: 'Save goal' }).click();
  const conflict = page.locator('.conflict[role="alert"]');
  await conflict.waitFor();
  assert.equal(
    await conflict.locator('p').innerText(),
    "Not saved: someone else changed this goal while you were editing it. goal 'preorders' was changed by someone else (it is at version 3, the request has 2); reload it and try again",
  );
  stored = await (await page.request.get(base + '/api/v1/goals/preorders')).json();
  assert.deepEqual([stored.goal.title, stored.goal.channel], ['Secure 1,200 pre-orders in the first week', 'email']);
  await page.getByRole('button', { name: 'Load their version' }).click();
  await page.waitForFunction(() => document.querySelector('#edit-goal-channel')?.value === 'email');
  assert.equal(await title.inputValue(), 'Secure 1,200 pre-orders in the first week');
  assert.equal(await conflict.count(), 0);

  // A KPI: a refused target beside its field, then the edit.
  await page.getByLabel('KPI to edit').selectOption('preorder-count');
  const target = page.locator('#edit-kpi-target');
  assert.equal(await target.inputValue(), '1000');
  await target.fill('lots');
  await page.getByRole('button', { name: 'Save KPI' }).click();
  await page.locator('#edit-kpi-target-error').waitFor();
  assert.equal(await page.locator('#edit-kpi-target-error').innerText(), "kpi 'preorder-count': 'target' \"lots\" is not a target relative to the baseline; write a number or a signed percent such as \"+10%\" or \"-5%\"");
  await target.fill('1200');
  await page.getByRole('button', { name: 'Save KPI' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved KPI Pre-orders (version 2).' }).waitFor();
  assert.equal((await (await page.request.get(base + '/api/v1/kpis/preorder-count')).json()).target, 1200);

  // Teams and people (admins): a bad id beside its field, then each added.
  await page.getByLabel('Team id').fill('Bad id');
  await page.getByRole('button', { name: 'Add team' }).click();
  await page.locator('#team-id-error').waitFor();
  assert.equal(await page.locator('#team-id-error').innerText(), `team: 'id' "Bad id" is not an id; ids are 1-64 lower-case letters, digits, '-' and '_', starting with a letter or digit`);
  await page.getByLabel('Team id').fill('events');
  await page.getByLabel('Team name').fill('Events');
  await page.getByLabel('Part of').selectOption('marketing');
  await page.getByRole('button', { name: 'Add team' }).click();
  await page.getByRole('status').filter({ hasText: 'Added the team Events.' }).waitFor();
  await page.getByLabel('Person id').fill('zoe');
  await page.getByLabel('Full name').fill('Zoe Events');
  await page.locator('#person-team').selectOption('events');
  await page.locator('#person-role').selectOption('lead');
  await page.getByRole('button', { name: 'Add person' }).click();
  await page.getByRole('status').filter({ hasText: 'Added Zoe Events.' }).waitFor();
  const zoe = await (await page.request.get(base + '/api/v1/people/zoe')).json();
  assert.deepEqual([zoe.name, zoe.team, zoe.role], ['Zoe Events', 'events', 'lead']);
  assert.equal(JSON.parse(run(['team', 'list', '--json'])).teams.find((t) => t.id === 'events')?.parent, 'marketing');

  // On the goal page the same form opens in a dialog; Escape closes it and focus returns.
  await page.goto(base + '/goal/preorders');
  const edit = page.getByRole('button', { name: 'Edit goal' });
  await edit.click();
  const dialog = page.getByRole('dialog', { name: 'Edit Secure 1,200 pre-orders in the first week' });
  await dialog.waitFor();
  await dialog.locator('#dialog-goal-title').waitFor();
  // Where focus is at the moment the dialog leaves the document: already back on the opener, not
  // on <body> for a frame (which made the check below pass or fail by timing: dialog.tsx).
  await page.evaluate(() => {
    window.__focusAtRemoval = null;
    new MutationObserver((changes, observer) => {
      if (changes.some((c) => [...c.removedNodes].some((n) => n.nodeName === 'DIALOG'))) {
        const at = document.activeElement;
        window.__focusAtRemoval = !at || at === document.body ? '<body>' : at.textContent;
        observer.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => window.__focusAtRemoval), 'Edit goal');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Edit goal');
  await edit.click();
  await dialog.locator('#dialog-goal-title').fill('Secure 1,300 pre-orders in the first week');
  await dialog.getByRole('button', { name: 'Save goal' }).click();
  await page.getByRole('heading', { name: 'Secure 1,300 pre-orders in the first week', level: 1 }).waitFor();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), [
    '400 /api/v1/kpis/preorder-count',
    '400 /api/v1/teams',
    '401 /api/v1/me',
    '409 /api/v1/goals/preorders',
    '422 /api/v1/goals/preorders',
  ]);
  await context.close();
});

// Where the tests leave screenshots of every page (build/screenshots/ beside the binary).
const shots = process.env.SCREENSHOT_DIR || join(dirname(resolve(cascade)), 'screenshots');

// Every input, select, textarea and button in the page without an accessible name: its label,
// aria-labelledby, aria-label, its own text (buttons) or title.
function unnamedControls() {
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

const everyPage = [
  ['cascade', '/', 'Goals'],
  ['goal', '/goal/market-share', 'Achieve 20% market share within six months of launch'],
  ['review', '/review', 'Review'],
  ['insight', '/insight?a=organic-visits&b=leads&target=100&budget=10000', 'Insight'],
  ['recognition', '/recognition', 'Recognition'],
  ['mywork', '/my-work?person=maya', 'Work of Maya Johnson'],
  ['plan', '/plan', 'Plan'],
];

test('for everyone: keyboard-only sign-in, every control named, no sideways scroll at 390 px, dark and print styles; screenshots', async () => {
  mkdirSync(shots, { recursive: true });
  // A demo workspace of its own, untouched by the other tests, for pictures of what a new user sees.
  const freshDb = join(dir, 'fresh.db');
  run(['demo'], undefined, freshDb);
  run(['cycle', 'add', 'this-half', '--name', 'This half', '--start', day(-90), '--end', day(90)], undefined, freshDb);
  run(['user', 'add', 'ava', '--person', 'ava', '--password-stdin'], passwords.ava + '\n', freshDb);
  const fresh = await serve(freshDb);
  others.push(fresh.server);
  const base = fresh.base;
  for (const [width, height, suffix] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    const { context, page, problems, refusals } = await openPage({ width, height });
    // Signing in with the keyboard alone: Tab into the fields, type, Enter.
    await page.goto(base + '/');
    await page.waitForURL(/\/signin$/);
    await page.getByLabel('Account name').waitFor();
    assert.deepEqual(await page.evaluate(unnamedControls), [], 'unnamed controls on /signin');
    await page.screenshot({ path: join(shots, `signin-${suffix}.png`) });
    // Tab from wherever focus starts (the skip link, or the name field itself) to the name field.
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== 'signin-name'; ++i) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('autocomplete')), 'username');
    await page.keyboard.type('ava');
    await page.keyboard.press('Tab');
    await page.keyboard.type(passwords.ava);
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/');
    await page.getByRole('heading', { name: 'Goals', level: 1 }).waitFor();

    for (const [name, path, heading] of everyPage) {
      await page.goto(base + path);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      if (name === 'goal' || name === 'insight') await page.locator('.chart canvas').first().waitFor();
      const wide = await page.evaluate(() => document.scrollingElement.scrollWidth);
      if (width === 390) assert.ok(wide <= 390, `${path} is ${wide} px wide on a 390-px screen`);
      assert.deepEqual(await page.evaluate(unnamedControls), [], `unnamed controls on ${path}`);
      // The first screen, as one sees it on opening the page, and (desktop) the whole page.
      await page.screenshot({ path: join(shots, `${name}-${suffix}.png`) });
      if (suffix === 'desktop') await page.screenshot({ path: join(shots, `${name}-${suffix}-full.png`), fullPage: true });
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(refusals, ['401 /api/v1/me']);
    await context.close();
  }

  // The system's dark scheme: dark page, light text; the tree's first screen as a picture too.
  const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  const page = await dark.newPage();
  await signIn(page, 'ava', base);
  await page.locator('.goal-row').first().waitFor();
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(20, 23, 28)');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(232, 234, 237)');
  await page.screenshot({ path: join(shots, 'cascade-dark.png') });
  // Printing: black on white, no navigation, filters or buttons; every goal's row, not a window.
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(0, 0, 0)');
  for (const selector of ['.top nav', '.filters', '.as-of', 'button.toggle']) {
    assert.equal(await page.evaluate((s) => getComputedStyle(document.querySelector(s)).display, selector), 'none', selector);
  }
  await dark.close();
});

// The accessibility pass: axe-core (web/node_modules, a devDependency, never in the bundle) on every
// page, at desktop and 390 px, in the light and the dark scheme: no violation of the WCAG 2.0/2.1
// A and AA rules. The dashboard's CSP allows no inline script, so axe's source is added as a
// <script> in a browser context made with `bypassCSP: true`: this test's contexts only; every other
// test keeps the CSP and fails on any violation of it.
const axeSource = readFileSync(join(dirname(new URL(import.meta.url).pathname), '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// axe's violations on the page as it is now, one line each: rule, impact, where, what to do.
async function axeViolations(page, where) {
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

test('accessibility: axe-core finds no WCAG 2 A/AA violation on any page or dialog, at desktop and 390 px, light and dark', async () => {
  const freshDb = join(dir, 'axe.db');
  run(['demo'], undefined, freshDb);
  run(['cycle', 'add', 'this-half', '--name', 'This half', '--start', day(-90), '--end', day(90)], undefined, freshDb);  // the Plan page's cycles
  run(['goal', 'add', 'carry-me', '--title', 'Carry me over', '--level', 'micro', '--cycle', 'this-half'], undefined, freshDb);  // to carry over
  run(['cycle', 'add', 'next-half', '--name', 'Next half', '--start', day(91), '--end', day(270)], undefined, freshDb);
  run(['user', 'add', 'ava', '--person', 'ava', '--password-stdin'], passwords.ava + '\n', freshDb);
  const fresh = await serve(freshDb);
  others.push(fresh.server);
  const at = fresh.base;
  const violations = [];
  for (const [width, height, size] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme, bypassCSP: true });
      const page = await context.newPage();
      const where = (p) => `${p} (${size}, ${colorScheme})`;
      await page.goto(at + '/');
      await page.waitForURL(/\/signin$/);
      await page.getByLabel('Account name').waitFor();
      violations.push(...(await axeViolations(page, where('/signin'))));
      // A refused sign-in shows its error beside the form: checked with it shown.
      await page.getByLabel('Account name').fill('ava');
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').first().waitFor();
      violations.push(...(await axeViolations(page, where('/signin with an error'))));
      await signIn(page, 'ava', at);
      for (const [, path, heading] of everyPage) {
        await page.goto(at + path);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        if (path.startsWith('/goal') || path.startsWith('/insight')) await page.locator('.chart canvas').first().waitFor();
        violations.push(...(await axeViolations(page, where(path))));
      }
      // The tree with a status chosen from the counts and a goal's KPIs opened.
      await page.goto(at + '/');
      await page.locator('.counts a').first().click();
      await page.waitForURL(/\?status=/);
      await page.locator('.counts a[aria-current="true"]').waitFor();
      await page.getByRole('button', { name: /^Show the KPIs of / }).first().click();
      await page.getByRole('list', { name: /^KPIs of / }).first().waitFor();
      await page.waitForLoadState('networkidle');
      violations.push(...(await axeViolations(page, where('/ with a status filter and KPIs open'))));
      // A refused check-in: the API's message beside its field (nothing is recorded).
      await page.goto(at + '/goal/market-share');
      await page.getByLabel('KPI', { exact: true }).selectOption('tracker-share');
      await page.getByRole('button', { name: 'Record check-in' }).click();
      await page.locator('#checkin-value-error').waitFor();
      violations.push(...(await axeViolations(page, where('/goal/market-share with a field error'))));
      // The goal page's one dialog, open.
      await page.getByRole('button', { name: 'Edit goal' }).click();
      await page.getByRole('dialog').waitFor();
      await page.waitForLoadState('networkidle');
      violations.push(...(await axeViolations(page, where('/goal/market-share with Edit goal open'))));
      // An uploaded plan's dry-run diff (shown, not applied).
      await page.goto(at + '/plan');
      const plan = 'version: 1\nteams:\n  - {id: growth-lab, name: Growth Lab, parent: marketing}\n  - {id: social, name: Social & Community, parent: marketing}\n';
      await page.getByLabel('Plan file', { exact: true }).setInputFiles({ name: 'growth.yaml', mimeType: 'application/yaml', buffer: Buffer.from(plan) });
      await page.getByRole('button', { name: 'Show the changes' }).click();
      await page.getByRole('heading', { name: 'The plan would make 2 changes' }).waitFor();
      violations.push(...(await axeViolations(page, where('/plan with an upload\'s diff'))));
      // A cycle's close, asked to be confirmed.
      await page.getByRole('button', { name: 'Close This half…' }).click();
      await page.getByRole('button', { name: 'Close This half', exact: true }).waitFor();
      violations.push(...(await axeViolations(page, where('/plan with a cycle\'s close to confirm'))));
      // The carry-over dialog, open, then with its error beside the goals.
      await page.locator('.cycle-confirm').getByRole('button', { name: 'Cancel', exact: true }).click();
      await page.getByRole('button', { name: 'Carry over goals of This half…' }).click();
      const carry = page.getByRole('dialog', { name: 'Carry over goals of This half' });
      await carry.getByRole('checkbox', { name: 'Carry me over (unmeasured)' }).waitFor();
      await page.waitForLoadState('networkidle');
      violations.push(...(await axeViolations(page, where('/plan with the carry-over dialog open'))));
      await carry.getByRole('checkbox', { name: 'Carry me over (unmeasured)' }).uncheck();
      await carry.getByRole('button', { name: 'Carry over 0 goals' }).click();
      await carry.locator('#carry-goals-error').waitFor();
      violations.push(...(await axeViolations(page, where('/plan with the carry-over dialog\'s error'))));
      await context.close();
    }
  }
  assert.deepEqual(violations, [], `axe-core found ${violations.length} violations:\n${violations.join('\n')}`);
});

test("a returning visitor's Cascade page asks for the goals beside /api/v1/me, not after it", async () => {
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava');
  // /api/v1/me answers in a millisecond or two on loopback, too soon to tell "beside" from
  // "after" by the clock; held back 300 ms here, a tree request that waited for it would start
  // after it ended, one asked beside it starts well before.
  await page.route('**/api/v1/me', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await route.continue();
  });
  await page.goto(base + '/');
  await page.locator('.goal-row').first().waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('cascade-interactive').length > 0);
  await page.unroute('**/api/v1/me');
  const t = await page.evaluate(() => {
    const at = (path) => performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname + new URL(r.name).search === path);
    return { status: at('/api/v1/tree')?.startTime, me: at('/api/v1/me')?.responseEnd, statusRequests: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/api/v1/tree')).length };
  });
  assert.ok(t.status < t.me, `the tree request started at ${t.status} ms, after /api/v1/me ended at ${t.me} ms`);
  assert.equal(t.statusRequests, 1, 'the page used the request already on its way');
  // The first screen loads the app's script and what it imports, not the other pages' code
  // (uPlot, forms, insight), which comes when one of them is opened.
  const scripts = await page.evaluate(() =>
    performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).map((r) => ({ path: new URL(r.name).pathname, size: r.decodedBodySize })),
  );
  assert.deepEqual(scripts.filter((s) => /^\/assets\/(goal|insight|plan|review|mywork|recognition)-/.test(s.path)), []);
  const scriptBytes = scripts.reduce((sum, s) => sum + s.size, 0);
  assert.ok(scriptBytes < 64 * 1024, `the first screen's scripts weigh ${scriptBytes} bytes`);
  // Signed out, the note goes: a visit after that asks only /api/v1/me, and gets the sign-in page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/signin$/);
  await page.goto(base + '/');
  await page.waitForURL(/\/signin$/);
  await page.getByLabel('Account name').waitFor();
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me', '401 /api/v1/me']);
  await context.close();
});

test("roles: a lead edits their team's goal, is refused another team's in plain words, and gets no team or person forms; a viewer forcing a write gets 403", async () => {
  const lead = await openPage();
  await signIn(lead.page, 'dana');
  await lead.page.goto(base + '/plan');
  await lead.page.getByLabel('Goal to edit').selectOption('gen-z-campaigns');
  const title = lead.page.locator('#edit-goal-title');
  await title.waitFor();
  await title.fill('Run 3 Gen-Z social campaigns this quarter');
  await lead.page.getByRole('button', { name: 'Save goal' }).click();
  await lead.page.getByRole('status').filter({ hasText: 'Saved Run 3 Gen-Z social campaigns this quarter (version 2).' }).waitFor();
  await lead.page.getByLabel('Goal to edit').selectOption('new-designs');
  await lead.page.locator('#edit-goal-title').fill('Release 6 new designs');
  await lead.page.getByRole('button', { name: 'Save goal' }).click();
  const refusal = lead.page.locator('form[aria-label^="Edit Release 5 new designs"] .error[role="alert"]');
  await refusal.waitFor();
  assert.equal(
    await refusal.innerText(),
    "dana is a lead: leads may change only the goals of their team 'social' and its sub-teams, with their KPIs, actions, experiments, check-ins, spend, comments and reviews, and check in, record spend and comment on goals they own or contribute to; goal 'new-designs' belongs to team 'brand'",
  );
  assert.equal(JSON.parse(run(['--json', 'goal', 'show', 'new-designs'])).goal.title, 'Release 5 new designs for the relaunch');
  for (const name of ['Team id', 'Person id']) assert.equal(await lead.page.getByLabel(name).count(), 0, name);
  assert.deepEqual(lead.problems, []);
  assert.deepEqual(lead.refusals.sort(), ['401 /api/v1/me', '403 /api/v1/goals/new-designs']);
  await lead.context.close();

  // A viewer has no control to write with; a write forced through the API is refused.
  const viewer = await openPage();
  await signIn(viewer.page, 'grace');
  const forced = await viewer.page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1/goals/preorders', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ title: 'Changed by a viewer' }),
    });
    return [r.status, (await r.json()).error.code];
  });
  assert.deepEqual(forced, [403, 'forbidden']);
  assert.notEqual(JSON.parse(run(['--json', 'goal', 'show', 'preorders'])).goal.title, 'Changed by a viewer');
  assert.deepEqual(viewer.problems, []);
  assert.deepEqual(viewer.refusals.sort(), ['401 /api/v1/me', '403 /api/v1/goals/preorders']);
  await viewer.context.close();
});

// The rows of the Cascade page's tree as titles, an ancestor shown only for context in brackets.
function treeRows(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.goal-row')].map((r) => {
      const title = r.querySelector('.goal-title').textContent;
      return r.classList.contains('context') ? `(${title})` : title;
    }),
  );
}

test('cascade filters: priority, channel, segment, stage and tag beside team, owner, status and level, kept in the URL, as the API filters', async () => {
  const seed = await seeded('filters');
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava', seed.base);
  await page.getByText('3 goals as of', { exact: false }).waitFor();
  assert.deepEqual(await treeRows(page), ['Launch the app', 'Publish reels', 'Grow the blog']);

  // Each new filter is a labelled select offering what the goals use.
  const options = (label) => page.getByLabel(label, { exact: true }).locator('option').allTextContents();
  assert.deepEqual(await options('Priority'), ['All', 'high', 'medium', 'low']);
  assert.deepEqual(await options('Channel'), ['All', 'content', 'social']);
  assert.deepEqual(await options('Segment'), ['All', 'gen-z', 'smb']);
  assert.deepEqual(await options('Stage'), ['All', 'awareness', 'consideration', 'conversion', 'retention']);
  assert.deepEqual(await options('Tag'), ['All', 'launch', 'q1']);

  // The page's matches are the API's for the same query (GET /api/v1/goals filters as `goal list`).
  const apiIds = async (q) => (await (await page.request.get(`${seed.base}/api/v1/goals?${q}`)).json()).goals.map((g) => g.id);
  const shownIds = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.goal-row:not(.context) .goal-title')].map((a) => decodeURIComponent(a.getAttribute('href').replace(/^\/goal\//, ''))),
    );
  async function expectShown(q, summary, rows) {
    await page.waitForURL(`${seed.base}/${q ? '?' + q : ''}`);
    await page.getByText(summary, { exact: false }).waitFor();
    assert.deepEqual(await treeRows(page), rows, q);
    assert.deepEqual(await shownIds(), await apiIds(q), q);
  }

  await page.getByLabel('Channel', { exact: true }).selectOption('social');
  await expectShown('channel=social', '2 of 3 goals match', ['Launch the app', 'Publish reels']);
  await page.goBack();
  await page.waitForURL(seed.base + '/');
  await page.getByText('3 goals as of', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('Channel', { exact: true }).inputValue(), '');

  await page.getByLabel('Segment', { exact: true }).selectOption('smb');
  await expectShown('segment=smb', '1 of 3 goals match', ['Grow the blog']);
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.waitForURL(seed.base + '/');

  // Filters combine; back undoes the last one.
  await page.getByLabel('Tag', { exact: true }).selectOption('q1');
  await expectShown('tag=q1', '2 of 3 goals match', ['Launch the app', 'Grow the blog']);
  await page.getByLabel('Priority', { exact: true }).selectOption('high');
  await expectShown('tag=q1&priority=high', '1 of 3 goals match', ['Launch the app']);
  await page.goBack();
  await expectShown('tag=q1', '2 of 3 goals match', ['Launch the app', 'Grow the blog']);
  assert.equal(await page.getByLabel('Priority', { exact: true }).inputValue(), '');
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.waitForURL(seed.base + '/');

  // The keyboard alone: focus the stage filter and step to its first stage.
  await page.getByLabel('Stage', { exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await expectShown('stage=awareness', '2 of 3 goals match', ['Launch the app', 'Publish reels']);
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.waitForURL(seed.base + '/');

  // A team takes in its sub-teams, and a goal without a team of its own is its parent's; the
  // parent of a match shows as context.
  await page.getByLabel('Team', { exact: true }).selectOption('social');
  await expectShown('team=social', '2 of 3 goals match', ['(Launch the app)', 'Publish reels', 'Grow the blog']);
  await page.getByLabel('Team', { exact: true }).selectOption('marketing');
  await expectShown('team=marketing', '3 of 3 goals match', ['Launch the app', 'Publish reels', 'Grow the blog']);
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.waitForURL(seed.base + '/');
  // An owner's goals include those they contribute to.
  await page.getByLabel('Owner', { exact: true }).selectOption('omar');
  await expectShown('owner=omar', '2 of 3 goals match', ['Launch the app', 'Publish reels']);

  // A shared link opens with its filters set.
  await page.goto(seed.base + '/?channel=content&stage=consideration');
  await page.getByText('1 of 3 goals match', { exact: false }).waitFor();
  assert.deepEqual(await treeRows(page), ['Grow the blog']);
  assert.equal(await page.getByLabel('Channel', { exact: true }).inputValue(), 'content');
  assert.equal(await page.getByLabel('Stage', { exact: true }).inputValue(), 'consideration');

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

test('goal page: confidence and its disagreement, spend against budget, comment kinds, a benchmark on its KPI chart, a formula KPI', async () => {
  const seed = await seeded('goalpage');
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava', seed.base);
  await page.goto(seed.base + '/goal/launch');
  await page.getByRole('heading', { name: 'Launch the app', level: 1 }).waitFor();
  const fact = async (term) => (await page.locator('.fact').filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd').innerText());
  assert.equal(await fact('Priority'), 'high');
  assert.equal(await fact('Channel'), 'social');
  assert.equal(await fact('Segment'), 'gen-z');
  assert.equal(await fact('Stage'), 'awareness');
  assert.equal(await fact('Tags'), 'launch, q1');
  await page.locator('.fact dd', { hasText: 'Omar Haddad' }).waitFor();
  assert.equal(await fact('Contributors'), 'Omar Haddad');

  // The numbers say off track (13% done, 50% expected); Dana judged it on track.
  assert.equal(await page.locator('.goal-head strong').innerText(), '13%');
  assert.equal(await page.locator('.goal-head .status').textContent(), '✖off track');
  assert.equal(await page.locator('.confidence p').first().textContent(), 'Confidence: ●on track');
  const disagreement = page.locator('.disagreement');
  await disagreement.getByText('Dana Lee says on track; the numbers say off track').waitFor();
  assert.equal(await disagreement.innerText(), '⚠ Judgement and numbers disagree: Dana Lee says on track; the numbers say off track');

  // The benchmark is drawn on its KPI's chart, named in the legend, and is no KPI row of its own.
  assert.equal(await page.getByRole('heading', { name: /^Rival signups/ }).count(), 0);
  await page.locator('.kpi-benchmarks', { hasText: 'Industry signups' }).waitFor();
  assert.equal(await page.locator('.kpi-benchmarks').innerText(), 'Benchmark Rival signups 300 · Benchmark Industry signups 250');
  const chart = page.locator('.chart[aria-label^="Chart of Signups: value 200, target 1,000"]');
  await chart.locator('canvas').waitFor();
  await page.locator('.chart[aria-label$=", benchmark Rival signups 300, benchmark Industry signups 250"] canvas').waitFor();
  assert.deepEqual(
    (await chart.locator('.u-legend .u-label').allTextContents()).map((t) => t.trim()),
    ['Signups', 'target', 'expected', 'forecast', 'Rival signups (benchmark)', 'Industry signups (benchmark)'],
  );
  const benchTable = page.getByRole('table', { name: 'Check-ins of Rival signups (benchmark), newest first' });
  const cells = async (row) => (await row.locator('td').allTextContents()).join(' | ');
  assert.equal(await cells(benchTable.locator('tbody tr').first()), `${day(-10)} | 300 | — |  | —`);

  // The formula KPI shows its formula and takes no check-ins: the form offers only the others.
  await page.getByRole('heading', { name: 'Signups per day (formula)', level: 3 }).waitFor();
  await page.getByText('Computed by the formula {signups} / 50; it takes no check-ins.').waitFor();
  assert.deepEqual(await page.getByLabel('KPI', { exact: true }).locator('option').allTextContents(), ['Signups', 'Rival signups']);

  // A check-in with a confidence through the form: the row says it in words, the goal takes it.
  await page.getByLabel('KPI', { exact: true }).selectOption('signups');
  await page.getByLabel('Value', { exact: true }).fill('500');
  await page.getByLabel('Confidence', { exact: true }).selectOption('at_risk');
  await page.getByRole('button', { name: 'Record check-in' }).click();
  await page.getByRole('status').filter({ hasText: `Recorded 500 for Signups on ${day(0)}.` }).waitFor();
  const signups = page.getByRole('table', { name: 'Check-ins of Signups, newest first' });
  await signups.locator('tbody tr').nth(1).waitFor();
  assert.equal(await cells(signups.locator('tbody tr').first()), `${day(0)} | 500 | Ava Admin |  | ▲at risk`);
  assert.equal(await cells(signups.locator('tbody tr').nth(1)), `${day(-40)} | 200 | Dana Lee |  | ●on track`);
  // P = (0.5 + 10 / 20 + 0) / 3 = 33%, gap 0.17: at risk, as Ava judged; no disagreement left.
  await page.locator('.goal-head strong', { hasText: '33%' }).waitFor();
  assert.equal(await page.locator('.goal-head .status').textContent(), '▲at risk');
  await page.locator('.confidence p', { hasText: 'agrees with the numbers' }).waitFor();
  assert.equal(await page.locator('.confidence p').first().textContent(), 'Confidence: ▲at risk (agrees with the numbers)');
  assert.equal(await disagreement.count(), 0);
  assert.equal(await page.getByLabel('Confidence', { exact: true }).inputValue(), '');

  // Spend against the budget: what counts is in the goal's window.
  const spendSummary = page.locator('.spend-summary');
  assert.equal(await spendSummary.innerText(), 'Spent 1,200 of a budget of 5,000 · 3,800 left');
  assert.equal(await page.locator('.spend-bar').getAttribute('aria-label'), 'spent 24% of the budget');
  const spendRows = page.getByRole('table', { name: 'Spend on this goal, newest first' }).locator('tbody tr');
  assert.deepEqual(await spendRows.allInnerTexts(), [
    `${day(-30)}\t1,200\tDana Lee\tLaunch ads`,
    `${day(-60)}\t300\tDana Lee\tBefore the start (not counted: outside the goal's window)`,
  ]);
  // A refused amount: the API's message beside the field, nothing recorded.
  await page.getByLabel('Amount', { exact: true }).fill('lots');
  await page.getByRole('button', { name: 'Record spend' }).click();
  await page.locator('#spend-amount-error').waitFor();
  assert.equal(await page.locator('#spend-amount-error').innerText(), "spend: 'amount' must be a number, not a string");
  assert.equal(await page.getByLabel('Amount', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await spendRows.count(), 2);
  await page.getByLabel('Amount', { exact: true }).fill('250.5');
  await page.getByLabel('What for').fill('Video shoot');
  await page.getByRole('button', { name: 'Record spend' }).click();
  await page.getByRole('status').filter({ hasText: `Recorded 250.5 spent on ${day(0)}.` }).waitFor();
  await spendSummary.getByText('1,450.5').waitFor();
  assert.equal(await spendSummary.innerText(), 'Spent 1,450.5 of a budget of 5,000 · 3,549.5 left');
  assert.equal(await page.locator('.spend-bar').getAttribute('aria-label'), 'spent 29% of the budget');
  assert.equal(await spendRows.first().innerText(), `${day(0)}\t250.5\tAva Admin\tVideo shoot`);
  assert.equal(await page.getByLabel('Amount', { exact: true }).getAttribute('aria-invalid'), null);
  const stored = await (await page.request.get(`${seed.base}/api/v1/goals/launch`)).json();
  assert.deepEqual([stored.status.spent, stored.status.budget_left], [1450.5, 3549.5]);

  // Lessons and decisions are marked by word; a decision posted through the form joins them.
  const comments = page.locator('ol.comments > li');
  assert.deepEqual(await comments.locator('.kind').allTextContents(), ['✦ Lesson', '⚑ Decision']);
  assert.match(await comments.nth(0).innerText(), /Dana Lee .*\n+Video beats stills$/);
  await page.getByLabel('Kind', { exact: true }).selectOption('decision');
  await page.getByLabel('Add a comment, lesson or decision').fill('Pause the stills');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByRole('status').filter({ hasText: 'Decision recorded.' }).waitFor();
  await comments.nth(2).waitFor();
  assert.equal(await comments.nth(2).locator('.kind').textContent(), '⚑ Decision');
  assert.equal(await comments.nth(2).locator('.text').innerText(), 'Pause the stills');
  assert.equal(await page.getByRole('button', { name: 'Post comment' }).count(), 1);

  // The supports link reads from both ends.
  await page.goto(seed.base + '/goal/reels');
  await page.getByRole('heading', { name: 'Publish reels', level: 1 }).waitFor();
  await page.locator('.fact', { hasText: 'Supports' }).getByRole('link', { name: 'blog' }).click();
  await page.waitForURL(seed.base + '/goal/blog');
  await page.locator('.fact', { hasText: 'Supported by' }).getByRole('link', { name: 'reels' }).waitFor();
  await page.getByText('Dana Lee says at risk; the numbers say off track').waitFor();
  // A benchmark kept here for another goal's KPI is drawn there, and only named here.
  assert.equal(
    await page.locator('.stray-benchmarks li').innerText(),
    'Industry signups: 250, a benchmark for the KPI signups (drawn on its chart)',
  );
  assert.equal(await page.locator('.chart').count(), 1);

  // A viewer on a phone: the spend and its summary, no spend or check-in form; nothing too wide.
  const viewer = await openPage({ width: 390, height: 844 });
  await signIn(viewer.page, 'grace', seed.base);
  await viewer.page.goto(seed.base + '/goal/launch');
  await viewer.page.locator('.spend-summary', { hasText: 'Spent 1,450.5' }).waitFor();
  await viewer.page.locator('.chart canvas').first().waitFor();
  assert.equal(await viewer.page.getByRole('button', { name: 'Record spend' }).count(), 0);
  assert.equal(await viewer.page.getByLabel('Amount', { exact: true }).count(), 0);
  assert.equal(await viewer.page.getByRole('button', { name: 'Record check-in' }).count(), 0);
  await viewer.page.getByLabel('Kind', { exact: true }).waitFor();
  const width = await viewer.page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= 390, `the goal page is ${width} px wide on a 390-px screen`);
  assert.deepEqual(await viewer.page.evaluate(unnamedControls), []);
  assert.deepEqual(viewer.problems, []);
  assert.deepEqual(viewer.refusals, ['401 /api/v1/me']);
  await viewer.context.close();

  // A member who contributes to the goal may record spend on it.
  const member = await openPage();
  await signIn(member.page, 'omar', seed.base);
  await member.page.goto(seed.base + '/goal/launch');
  await member.page.getByLabel('Amount', { exact: true }).fill('49.5');
  await member.page.getByRole('button', { name: 'Record spend' }).click();
  await member.page.locator('.spend-summary', { hasText: 'Spent 1,500 of a budget of 5,000 · 3,500 left' }).waitFor();
  assert.deepEqual(member.problems, []);
  await member.context.close();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), ['400 /api/v1/spend', '401 /api/v1/me']);
  await context.close();
});

test('review and my work: disagreements largest first, and the lessons and decisions since the last review, as the API gives them', async () => {
  const seed = await seeded('reviewpage');
  const { context, page, problems, refusals } = await openPage({ width: 390, height: 844 });
  await signIn(page, 'ava', seed.base);
  await page.goto(seed.base + '/review');
  await page.getByRole('heading', { name: 'Judgement and numbers disagree (2)', level: 2 }).waitFor();
  assert.deepEqual(await page.locator('section[aria-labelledby="disagreements"] li').allInnerTexts(), [
    'Launch the app\nDana Lee says on track; the numbers say off track (two steps apart)',
    'Grow the blog\nDana Lee says at risk; the numbers say off track (one step apart)',
  ]);
  const agenda = JSON.parse(run(['--json', 'review'], undefined, seed.db));
  assert.deepEqual(agenda.disagreements.map((d) => [d.goal, d.text]), [
    ['launch', 'Dana Lee says on track; the numbers say off track'],
    ['blog', 'Dana Lee says at risk; the numbers say off track'],
  ]);
  await page.getByRole('heading', { name: 'Lessons and decisions since the last review (2)', level: 2 }).waitFor();
  const lessons = page.locator('section[aria-labelledby="lessons"] li');
  assert.deepEqual(await lessons.locator('.kind').allTextContents(), ['✦ Lesson', '⚑ Decision']);
  assert.equal(await lessons.nth(0).textContent(), `✦ Lesson Dana Lee ${day(-20)} on Launch the appVideo beats stills`);
  assert.equal(await lessons.nth(1).textContent(), `⚑ Decision Ava Admin ${day(-19)} on Launch the appMove the budget to video`);
  // Dana's own list (My work) names the same two, judgement and numbers in words.
  await page.goto(seed.base + '/my-work?person=dana');
  await page.getByRole('heading', { name: 'Judgement and numbers disagree (2)', level: 2 }).waitFor();
  assert.deepEqual(await page.locator('section[aria-labelledby="disagree-title"] li').allTextContents(), [
    'Launch the app: judged ● on track; the numbers say ✖ off track',
    'Grow the blog: judged ▲ at risk; the numbers say ✖ off track',
  ]);
  const todo = JSON.parse(run(['--json', 'todo', '--person', 'dana'], undefined, seed.db));
  assert.deepEqual(todo.disagreements.map((d) => d.goal), ['launch', 'blog']);
  await page.goto(seed.base + '/review');
  await page.getByRole('heading', { name: 'Lessons and decisions since the last review (2)', level: 2 }).waitFor();

  // Recorded, the review becomes the one the agenda counts from: nothing since.
  await page.getByLabel('Notes').fill('Moved to video');
  await page.getByRole('button', { name: 'Record review' }).click();
  await page.getByRole('heading', { name: 'Lessons and decisions since the last review (0)', level: 2 }).waitFor();
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= 390, `the review page is ${width} px wide on a 390-px screen`);
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

// The seeded workspace with cycle "now" (today-60 .. today+60) holding launch and blog (their own
// dates inside it; reels, launch's child, is in no cycle) and cycle "later" after it, empty.
// By hand (spec §2 "Cycles"): the score is over launch and blog (neither has a parent in the
// cycle): (13.3% + 10%) / 2 = 11.6%, shown 11%; both off track today. As of the cycle's end
// (today+60, past their due today+50, P below 100%) both are missed: what a closed cycle shows.
test('plan: cycles listed with score and counts, one added through the form, closed then reopened after a confirmation', async () => {
  const seed = await seeded('cycles');
  run(['cycle', 'add', 'now', '--name', 'This quarter', '--start', day(-60), '--end', day(60)], undefined, seed.db);
  run(['cycle', 'add', 'later', '--name', 'Next quarter', '--start', day(61), '--end', day(150)], undefined, seed.db);
  for (const g of ['launch', 'blog']) run(['goal', 'set', g, '--cycle', 'now'], undefined, seed.db);
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava', seed.base);
  await page.goto(seed.base + '/plan');
  const table = page.getByRole('table', { name: /^Cycles/ });
  const rows = () => table.locator('tbody tr').allInnerTexts();
  await table.getByRole('cell', { name: '2 active: 2 off track' }).waitFor();
  assert.deepEqual(await rows(), [
    `This quarter (now)\t${day(-60)} to ${day(60)}\topen\t11%\t2 active: 2 off track\tClose… Carry over…`,
    `Next quarter (later)\t${day(61)} to ${day(150)}\topen\t—\t0 active\tClose…`,
  ]);
  // The same numbers as `cycle show --json`.
  const shown = JSON.parse(run(['--json', 'cycle', 'show', 'now'], undefined, seed.db));
  assert.deepEqual([Math.trunc(shown.score * 100), shown.counts], [11, { off_track: 2 }]);

  // Add a cycle: a refusal beside the field it names, then the cycle in the list.
  await page.getByLabel('Cycle id').fill('h2');
  await page.getByLabel('Cycle name').fill('Second half');
  await page.getByLabel('Last day').fill(day(300));
  await page.getByRole('button', { name: 'Add cycle' }).click();
  await page.locator('#cycle-start-error').waitFor();
  assert.match(await page.locator('#cycle-start-error').innerText(), /'start'/);
  assert.equal(await page.getByLabel('First day').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('First day').fill(day(151));
  await page.getByRole('button', { name: 'Add cycle' }).click();
  await page.getByRole('status').filter({ hasText: 'Added cycle Second half.' }).waitFor();
  await table.getByRole('rowheader', { name: 'Second half (h2)' }).waitFor();
  await table.locator('tbody tr').nth(2).getByRole('cell', { name: '0 active' }).waitFor();
  assert.equal(await table.locator('tbody tr').nth(2).innerText(), `Second half (h2)\t${day(151)} to ${day(300)}\topen\t—\t0 active\tClose…`);
  const stored = await (await page.request.get(seed.base + '/api/v1/cycles/h2')).json();
  assert.deepEqual([stored.name, stored.start, stored.end, stored.state], ['Second half', day(151), day(300), 'open']);

  // Close: asked first (cancel changes nothing), then closed; its numbers are as of its end.
  await page.getByRole('button', { name: 'Close This quarter…' }).click();
  const yes = page.getByRole('button', { name: 'Close This quarter', exact: true });
  await yes.waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Close This quarter');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  assert.equal(await yes.count(), 0);
  await page.waitForFunction(() => document.activeElement?.id === 'cycle-change-now');
  assert.equal(JSON.parse(run(['--json', 'cycle', 'show', 'now'], undefined, seed.db)).state, 'open');
  await page.getByRole('button', { name: 'Close This quarter…' }).click();
  await yes.click();
  await page.getByRole('status').filter({ hasText: 'Closed This quarter.' }).waitFor();
  await table.getByRole('cell', { name: '2 active: 2 missed' }).waitFor();
  assert.equal(await table.locator('tbody tr').first().innerText(), `This quarter (now)\t${day(-60)} to ${day(60)}\tclosed\t11%\t2 active: 2 missed\tReopen… Carry over…`);
  assert.equal(JSON.parse(run(['--json', 'cycle', 'show', 'now'], undefined, seed.db)).state, 'closed');
  await page.waitForFunction(() => document.activeElement?.id === 'cycle-change-now');

  // Reopen: asked first too; open again, its numbers as of today.
  await page.getByRole('button', { name: 'Reopen This quarter…' }).click();
  await page.getByText('Reopen This quarter? Its goals can change again.').waitFor();
  await page.getByRole('button', { name: 'Reopen This quarter', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Reopened This quarter.' }).waitFor();
  await table.getByRole('cell', { name: '2 active: 2 off track' }).waitFor();
  assert.equal(await table.locator('tbody tr').first().innerText(), `This quarter (now)\t${day(-60)} to ${day(60)}\topen\t11%\t2 active: 2 off track\tClose… Carry over…`);
  assert.equal(JSON.parse(run(['--json', 'cycle', 'show', 'now'], undefined, seed.db)).state, 'open');

  // A viewer reads the cycles but gets no buttons or form.
  const viewer = await openPage({ width: 390, height: 844 });
  await signIn(viewer.page, 'grace', seed.base);
  await viewer.page.goto(seed.base + '/plan');
  await viewer.page.getByRole('table', { name: /^Cycles/ }).getByRole('cell', { name: '2 active: 2 off track' }).waitFor();
  assert.equal(await viewer.page.getByRole('button', { name: /^(Close|Reopen) / }).count(), 0);
  assert.equal(await viewer.page.getByRole('button', { name: 'Add cycle' }).count(), 0);
  const width = await viewer.page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= 390, `the plan page is ${width} px wide on a 390-px screen`);
  assert.deepEqual(viewer.problems, []);
  assert.deepEqual(viewer.refusals, ['401 /api/v1/me']);
  await viewer.context.close();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), ['400 /api/v1/cycles', '401 /api/v1/me']);
  await context.close();
});

test('cascade: the cycle filter, kept in the URL, shows exactly the goals /api/v1/goals?cycle= returns', async () => {
  const seed = await seeded('cyclefilter');
  run(['cycle', 'add', 'now', '--name', 'This quarter', '--start', day(-60), '--end', day(60)], undefined, seed.db);
  run(['cycle', 'add', 'later', '--name', 'Next quarter', '--start', day(61), '--end', day(150)], undefined, seed.db);
  for (const g of ['reels', 'blog']) run(['goal', 'set', g, '--cycle', 'now'], undefined, seed.db);
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava', seed.base);
  await page.getByText('3 goals as of', { exact: false }).waitFor();
  assert.deepEqual(await page.getByLabel('Cycle', { exact: true }).locator('option').allTextContents(), ['All', 'This quarter', 'Next quarter']);
  const apiIds = async (q) => (await (await page.request.get(`${seed.base}/api/v1/goals?${q}`)).json()).goals.map((g) => g.id);
  const shownIds = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.goal-row:not(.context) .goal-title')].map((a) => decodeURIComponent(a.getAttribute('href').replace(/^\/goal\//, ''))),
    );

  // reels' parent (launch, in no cycle) shows as its context.
  await page.getByLabel('Cycle', { exact: true }).selectOption('now');
  await page.waitForURL(`${seed.base}/?cycle=now`);
  await page.getByText('2 of 3 goals match', { exact: false }).waitFor();
  assert.deepEqual(await treeRows(page), ['(Launch the app)', 'Publish reels', 'Grow the blog']);
  assert.deepEqual(await apiIds('cycle=now'), ['reels', 'blog']);
  assert.deepEqual(await shownIds(), await apiIds('cycle=now'));

  // An empty cycle matches nothing; back returns to the last.
  await page.getByLabel('Cycle', { exact: true }).selectOption('later');
  await page.waitForURL(`${seed.base}/?cycle=later`);
  await page.getByText('0 of 3 goals match', { exact: false }).waitFor();
  await page.getByText('No goal matches these filters.').waitFor();
  assert.deepEqual(await apiIds('cycle=later'), []);
  await page.goBack();
  await page.waitForURL(`${seed.base}/?cycle=now`);
  await page.getByText('2 of 3 goals match', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('Cycle', { exact: true }).inputValue(), 'now');

  // With another filter, as a shared link; "Clear filters" clears the cycle too.
  await page.goto(seed.base + '/?cycle=now&channel=content');
  await page.getByText('1 of 3 goals match', { exact: false }).waitFor();
  assert.deepEqual(await shownIds(), await apiIds('cycle=now&channel=content'));
  assert.deepEqual(await treeRows(page), ['Grow the blog']);
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.waitForURL(seed.base + '/');
  await page.getByText('3 goals as of', { exact: false }).waitFor();

  // A goal moved into the cycle from the CLI joins the filtered tree without a reload.
  await page.getByLabel('Cycle', { exact: true }).selectOption('now');
  await page.getByText('2 of 3 goals match', { exact: false }).waitFor();
  run(['goal', 'set', 'launch', '--cycle', 'now'], undefined, seed.db);
  await page.getByText('3 of 3 goals match', { exact: false }).waitFor();
  assert.deepEqual(await shownIds(), await apiIds('cycle=now'));

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

// By hand (spec §2 "Spend and breakdowns"), the seeded workspace by channel: content holds blog
// (P 10%, off track, nothing spent: cost 0 / 0.1 = 0); social holds launch (P 13.3%, 1,200 spent
// in its window) and reels (P 0%), both off track: progress (2/15 + 0) / 2 = 6.6%, shown 6%; cost
// per goal done 1,200 / (2/15) = 9,000. By segment, reels has none: its group's key is null.
test('insight: the breakdown by channel shows exactly the numbers of `breakdown --by channel --json`', async () => {
  const seed = await seeded('breakdown');
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava', seed.base);
  await page.goto(seed.base + '/insight');
  const table = page.getByRole('table', { name: /^Active goals by channel/ });
  await table.waitFor();
  const cli = JSON.parse(run(['--json', 'breakdown', '--by', 'channel'], undefined, seed.db));
  assert.deepEqual(
    cli.groups.map((g) => [g.key, g.goals, Math.trunc(g.progress * 100), g.counts, g.spent, Math.round(g.cost_per_goal_done * 1e6) / 1e6]),
    [
      ['content', 1, 10, { off_track: 1 }, 0, 0],
      ['social', 2, 6, { off_track: 2 }, 1200, 9000],
    ],
  );
  // Each row as its cells' text, tab-separated.
  const rowsOf = (t) => t.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join('\t')));
  assert.deepEqual(await rowsOf(table), ['content\t1\t10%\t1 off track\t0\t0', 'social\t2\t6%\t2 off track\t1,200\t9,000']);
  // Each row is the CLI's group, formatted as every view formats numbers.
  const words = { on_track: 'on track', at_risk: 'at risk', off_track: 'off track', achieved: 'achieved', missed: 'missed' };
  const fmt = (v) => (v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));
  assert.deepEqual(
    await rowsOf(table),
    cli.groups.map(
      (g) =>
        `${g.key}\t${g.goals}\t${Math.trunc(g.progress * 100)}%\t${Object.entries(g.counts).map(([s, n]) => `${n} ${words[s]}`).join(', ')}\t${fmt(g.spent)}\t${fmt(g.cost_per_goal_done)}`,
    ),
  );
  assert.equal(await page.locator('.breakdown .bar').first().getAttribute('aria-hidden'), 'true');

  // Another field, kept in the URL: the group without a value, and a null cost shown as —.
  await page.getByLabel('Group the active goals by').selectOption('segment');
  await page.waitForURL(`${seed.base}/insight?by=segment`);
  const bySegment = page.getByRole('table', { name: /^Active goals by segment/ });
  await bySegment.waitFor();
  const segment = JSON.parse(run(['--json', 'breakdown', '--by', 'segment'], undefined, seed.db));
  assert.deepEqual(
    segment.groups.map((g) => [g.key, g.goals, g.spent, g.cost_per_goal_done === null ? null : Math.round(g.cost_per_goal_done * 1e6) / 1e6]),
    [
      ['gen-z', 1, 1200, 9000],
      ['smb', 1, 0, 0],
      [null, 1, 0, null],
    ],
  );
  assert.deepEqual(await rowsOf(bySegment), segment.groups.map((g) => `${g.key ?? 'no segment'}\t${g.goals}\t${g.progress === null ? '—' : Math.trunc(g.progress * 100) + '%'}\t${Object.entries(g.counts).map(([s, n]) => `${n} ${words[s]}`).join(', ')}\t${fmt(g.spent)}\t${fmt(g.cost_per_goal_done)}`));
  assert.ok((await rowsOf(bySegment)).includes('no segment\t1\t0%\t1 off track\t0\t—'));
  await page.goBack();
  await page.waitForURL(`${seed.base}/insight`);
  await table.waitFor();
  assert.equal(await page.getByLabel('Group the active goals by').inputValue(), 'channel');

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

// A number as the dashboard writes it (web/src/format.ts `number`).
function shownNumber(v) {
  if (v === null || v === undefined) return '—';
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(Math.round(v * 100) / 100);
}

// By hand (spec §2 "Cycles"), as of today: launch's Signups is at 200 (its new baseline; target
// 1,000 kept), the formula "Signups per day" at 200 / 50 = 4 (target 20), the benchmark "Rival
// signups" keeps its baseline 0; blog's Visits at 10 (target 100), its benchmark "Industry signups"
// keeps 0; launch's child reels (not in the cycle) comes along with its Reels KPI, never checked
// in: baseline 0 kept.
test('plan: two unfinished goals of a closed cycle carried over into a new one, the drafts as `goal show --json` has them', async () => {
  const seed = await seeded('carry');
  run(['cycle', 'add', 'now', '--name', 'This quarter', '--start', day(-60), '--end', day(60)], undefined, seed.db);
  for (const g of ['launch', 'blog']) run(['goal', 'set', g, '--cycle', 'now'], undefined, seed.db);
  run(['cycle', 'close', 'now'], undefined, seed.db);
  run(['cycle', 'add', 'next', '--name', 'Next quarter', '--start', day(61), '--end', day(150)], undefined, seed.db);
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava', seed.base);
  await page.goto(seed.base + '/plan');
  const table = page.getByRole('table', { name: /^Cycles/ });
  await table.getByRole('cell', { name: '2 active: 2 missed' }).waitFor();
  // Only a cycle with unfinished goals offers carry-over.
  assert.equal(await page.getByRole('button', { name: 'Carry over goals of Next quarter…' }).count(), 0);
  await page.getByRole('button', { name: 'Carry over goals of This quarter…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Carry over goals of This quarter' });
  await dialog.getByRole('checkbox', { name: 'Launch the app (missed)' }).waitFor();
  assert.deepEqual(await dialog.getByRole('group', { name: 'Unfinished goals of This quarter' }).getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.labels[0].textContent)), [
    'Launch the app (missed)',
    'Grow the blog (missed)',
  ]);
  assert.deepEqual(await dialog.getByLabel('Copy into').locator('option').allTextContents(), ['Next quarter']);

  // None carried over yet: both start chosen. Both unticked with the keyboard: "nothing chosen",
  // said beside the goals. Then both chosen again.
  assert.deepEqual(await dialog.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.checked)), [true, true]);
  await dialog.getByRole('checkbox', { name: 'Launch the app (missed)' }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await dialog.getByRole('button', { name: 'Carry over 0 goals' }).click();
  await dialog.locator('#carry-goals-error').waitFor();
  assert.equal(await dialog.locator('#carry-goals-error').innerText(), 'Choose at least one goal to carry over.');
  await dialog.getByRole('checkbox', { name: 'Launch the app (missed)' }).check();
  await dialog.getByRole('checkbox', { name: 'Grow the blog (missed)' }).check();

  // The target closed meanwhile (another process): the server's refusal beside "Copy into", nothing copied.
  run(['cycle', 'close', 'next'], undefined, seed.db);
  await dialog.getByRole('button', { name: 'Carry over 2 goals' }).click();
  await dialog.locator('#carry-cycle-error').waitFor();
  assert.match(await dialog.locator('#carry-cycle-error').innerText(), /^goal 'launch-next' is in cycle 'next', which is closed/);
  assert.equal(await dialog.getByLabel('Copy into').getAttribute('aria-invalid'), 'true');
  assert.equal(JSON.parse(run(['--json', 'goal', 'list', '--cycle', 'next'], undefined, seed.db)).goals.length, 0);

  // Reopened: copied; the drafts listed with links, their KPIs' baselines and targets.
  run(['cycle', 'reopen', 'next'], undefined, seed.db);
  await dialog.getByRole('button', { name: 'Carry over 2 goals' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Carried 2 goals over into Next quarter.' }).waitFor();
  const made = dialog.locator('.carry-made > li');
  assert.equal(await made.count(), 3);
  const expected = [];
  for (const id of ['launch-next', 'reels-next', 'blog-next']) {
    const shown = JSON.parse(run(['--json', 'goal', 'show', id], undefined, seed.db));
    assert.deepEqual([shown.goal.state, shown.goal.cycle], ['draft', 'next']);
    expected.push(
      [`${shown.goal.title} (${id})`, ...shown.kpis.map((k) => `${k.name}: baseline ${shownNumber(k.baseline)}, target ${shownNumber(k.target)}`)].join('\n'),
    );
  }
  assert.deepEqual(await made.allInnerTexts(), expected);
  assert.deepEqual(expected, [
    'Launch the app (launch-next)\nSignups: baseline 200, target 1,000\nRival signups: baseline 0, target 1,000\nSignups per day: baseline 4, target 20',
    'Publish reels (reels-next)\nReels: baseline 0, target 10',
    'Grow the blog (blog-next)\nVisits: baseline 10, target 100\nIndustry signups: baseline 0, target 1,000',
  ]);
  // The goals stay chosen only until copied, then say where they went: nothing is left to send twice.
  await dialog.getByRole('button', { name: 'Carry over 0 goals' }).waitFor();
  await dialog.getByRole('checkbox', { name: 'Launch the app (missed; already carried over as launch-next)' }).waitFor();
  assert.deepEqual(await dialog.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => [b.labels[0].textContent, b.checked])), [
    ['Launch the app (missed; already carried over as launch-next)', false],
    ['Grow the blog (missed; already carried over as blog-next)', false],
  ]);
  await dialog.getByRole('link', { name: 'Launch the app' }).click();
  await page.waitForURL(seed.base + '/goal/launch-next');
  await page.getByRole('heading', { name: 'Launch the app', level: 1 }).waitFor();
  assert.equal(await page.getByRole('dialog').count(), 0);

  // A viewer gets no carry-over.
  const viewer = await openPage();
  await signIn(viewer.page, 'grace', seed.base);
  await viewer.page.goto(seed.base + '/plan');
  await viewer.page.getByRole('table', { name: /^Cycles/ }).getByRole('cell', { name: '2 active: 2 missed' }).waitFor();
  assert.equal(await viewer.page.getByRole('button', { name: /^Carry over/ }).count(), 0);
  assert.deepEqual(viewer.problems, []);
  await viewer.context.close();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), ['401 /api/v1/me', '409 /api/v1/goals/launch/copy']);
  await context.close();
});

test('plan: the cycles come from the one list request, with their score and counts', async () => {
  const seed = await seeded('cyclelist');
  run(['cycle', 'add', 'now', '--name', 'This quarter', '--start', day(-60), '--end', day(60)], undefined, seed.db);
  run(['cycle', 'add', 'later', '--name', 'Next quarter', '--start', day(61), '--end', day(150)], undefined, seed.db);
  for (const g of ['launch', 'blog']) run(['goal', 'set', g, '--cycle', 'now'], undefined, seed.db);
  const { context, page, problems } = await openPage();
  const asked = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/v1/cycles')) asked.push(path);
  });
  // The Cascade page asks the list too (its cycle filter): counted from the Plan page on only.
  const homeCycles = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/cycles');
  await signIn(page, 'ava', seed.base);
  await homeCycles;
  asked.length = 0;
  await page.goto(seed.base + '/plan');
  await page.getByRole('table', { name: /^Cycles/ }).getByRole('cell', { name: '2 active: 2 off track' }).waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(asked, ['/api/v1/cycles']);
  const listed = await (await page.request.get(seed.base + '/api/v1/cycles')).json();
  const shown = JSON.parse(run(['--json', 'cycle', 'show', 'now'], undefined, seed.db));
  assert.deepEqual([listed.cycles[0].score, listed.cycles[0].counts, listed.cycles[0].goals], [shown.score, shown.counts, shown.goals]);
  assert.deepEqual(problems, []);
  await context.close();
});

// The demo (spec §7): last quarter's two unfinished goals were carried into this quarter as drafts
// (`goal copy` named them {id}-this-quarter). The dialog says so and chooses neither; this
// quarter's drafts are not offered for carrying over (never begun), only its active goal.
test("plan: the demo's last quarter: its unfinished goals already carried over, said so and not chosen; drafts never offered", async () => {
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'ava');
  await page.goto(base + '/plan');
  await page.getByRole('button', { name: 'Carry over goals of Last quarter…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Carry over goals of Last quarter' });
  await dialog.getByRole('checkbox').first().waitFor();
  assert.deepEqual(await dialog.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => [b.labels[0].textContent, b.checked])), [
    ['Reach 2 million views of the brand film (off track; already carried over as brand-film-views-this-quarter)', false],
    ['Grow monthly branded searches by 25% (off track; already carried over as branded-search-this-quarter)', false],
  ]);
  assert.deepEqual(await dialog.getByLabel('Copy into').locator('option').allTextContents(), ['This quarter']);
  await dialog.getByRole('button', { name: 'Carry over 0 goals' }).waitFor();
  // Each copy as the CLI has it: a draft of this quarter.
  for (const id of ['brand-film-views-this-quarter', 'branded-search-this-quarter']) {
    const shown = JSON.parse(run(['--json', 'goal', 'show', id]));
    assert.deepEqual([shown.goal.state, shown.goal.cycle], ['draft', 'this-quarter']);
  }
  await dialog.getByRole('button', { name: 'Close' }).click();

  // This quarter: its one active goal is offered, its two drafts are not.
  await page.getByRole('button', { name: 'Carry over goals of This quarter…' }).click();
  const current = page.getByRole('dialog', { name: 'Carry over goals of This quarter' });
  await current.getByRole('checkbox').first().waitFor();
  assert.deepEqual(await current.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.labels[0].textContent)), [
    "Lift the website's lead-to-customer conversion rate to 2.8% (on track)",
  ]);
  await current.getByRole('button', { name: 'Close' }).click();
  assert.deepEqual(problems, []);
  assert.deepEqual(refusals, ['401 /api/v1/me']);
  await context.close();
});

// A lead (Dana, of Social) carries over both goals of a closed cycle: Launch (Marketing's) is not
// theirs to copy, Grow the blog (Social's) is. The refusal of the first does not stop the second:
// it is shown beside Launch, the blog's draft is made and listed.
test("plan: a lead's carry-over copies what they may and shows each refusal beside its goal", async () => {
  const seed = await seeded('carrylead');
  run(['user', 'add', 'dana', '--person', 'dana', '--password-stdin'], passwords.dana + '\n', seed.db);
  run(['cycle', 'add', 'now', '--name', 'This quarter', '--start', day(-60), '--end', day(60)], undefined, seed.db);
  for (const g of ['launch', 'blog']) run(['goal', 'set', g, '--cycle', 'now'], undefined, seed.db);
  run(['cycle', 'close', 'now'], undefined, seed.db);
  run(['cycle', 'add', 'next', '--name', 'Next quarter', '--start', day(61), '--end', day(150)], undefined, seed.db);
  const { context, page, problems, refusals } = await openPage();
  await signIn(page, 'dana', seed.base);
  await page.goto(seed.base + '/plan');
  await page.getByRole('button', { name: 'Carry over goals of This quarter…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Carry over goals of This quarter' });
  await dialog.getByRole('button', { name: 'Carry over 2 goals' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Carried 1 goal over into Next quarter. 1 goal could not be carried over: the reason is beside it.' }).waitFor();
  const launch = dialog.getByRole('checkbox', { name: 'Launch the app (missed)' });
  assert.equal(await launch.getAttribute('aria-invalid'), 'true');
  const why = await dialog.locator('#carry-goal-launch-error').innerText();
  assert.match(why, /marketing/);
  assert.equal(await launch.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby')).textContent), why);
  // Still chosen (to try again once allowed); the blog's copy made, listed, and marked.
  assert.equal(await launch.isChecked(), true);
  assert.deepEqual(await dialog.locator('.carry-made > li > a').allInnerTexts(), ['Grow the blog']);
  await dialog.getByRole('checkbox', { name: 'Grow the blog (missed; already carried over as blog-next)' }).waitFor();
  assert.deepEqual(JSON.parse(run(['--json', 'goal', 'list', '--cycle', 'next'], undefined, seed.db)).goals.map((g) => g.id), ['blog-next']);
  assert.deepEqual(problems, []);
  assert.equal(refusals.filter((r) => r === '403 /api/v1/goals/launch/copy').length, 1);
  await context.close();
});

// The cycles table at a narrow laptop's 720 px and a 390-px phone: no sideways scrolling, of the
// page or of the table's own box; each cycle's dates on one line, never broken inside a date; on the
// phone each cycle a card of labelled lines, still read as a table (its rows and cells).
test('plan: the cycles table reads at 720 px and, as cards, at 390 px', async () => {
  for (const width of [720, 390]) {
    const { context, page, problems } = await openPage({ width, height: 900 });
    await signIn(page, 'ava');
    await page.goto(base + '/plan');
    const table = page.getByRole('table', { name: /^Cycles/ });
    await table.getByRole('cell', { name: /3 active/ }).waitFor();
    const sizes = await page.evaluate(() => {
      const box = document.querySelector('.scroll[aria-label="Cycles"]');
      return { page: document.scrollingElement.scrollWidth, box: box.scrollWidth - box.clientWidth };
    });
    assert.deepEqual(sizes, { page: width, box: 0 }, `at ${width} px`);
    // The lines each row's dates take (distinct tops of their text's boxes).
    const lines = await table.locator('td[data-label="Dates"]').evaluateAll((tds) =>
      tds.map((td) => {
        const r = document.createRange();
        r.selectNodeContents(td);
        return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
      }),
    );
    assert.deepEqual(lines, [1, 1], `dates' lines at ${width} px`);
    assert.equal(await table.getByRole('row').count(), 3);
    assert.equal(await table.getByRole('rowheader', { name: 'Last quarter (last-quarter)' }).count(), 1);
    if (width === 390) {
      // A card: the cells one under another, each headed by its column's name.
      const dates = table.locator('td[data-label="Dates"]').first();
      const state = table.locator('td[data-label="State"]').first();
      assert.ok((await state.boundingBox()).y > (await dates.boundingBox()).y, 'State under Dates');
      assert.equal(await dates.evaluate((td) => getComputedStyle(td, '::before').content), '"Dates: "');
    }
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, `plan-cycles-${width}.png`), fullPage: false, clip: await page.locator('section[aria-labelledby="cycles-title"]').boundingBox() });
    assert.deepEqual(problems, []);
    await context.close();
  }
});
