// The Review page: the agenda, recording a review, disagreements, lessons and decisions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { base, browser, run, day, seeded, openPage, signIn, cascade, db } from './setup.mjs';

test('review: the agenda, recording a review with notes, and the past reviews', async () => {
  // A comment from a script whose actor is no person: by nobody, shown as such, not as "no owner".
  const env = { ...process.env, NO_COLOR: '1', CASCADE_ACTOR: 'nightly-script' };
  delete env.CASCADE_PERSON;
  execFileSync(cascade, ['--db', db, 'comment', 'inbound-leads', 'Imported from the nightly script'], { env });
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
  const scripted = page.locator('section[aria-labelledby="review-comments"] li').filter({ hasText: 'Imported from the nightly script' });
  assert.equal(await scripted.locator('strong').first().innerText(), '—');
  const past = page.getByRole('table', { name: 'Recorded reviews, newest first' });
  assert.equal(await past.locator('tbody tr').count(), 1);

  // A change in points with one decimal, as the CLI's review prints it: the conversion goal's
  // formula KPI went from 18.9% to 19.8% of the way since review #1 (not "+0%").
  const changes = page.getByRole('table', { name: 'Progress then and now, by goal' });
  assert.match(
    await changes.getByRole('row', { name: /^Lift the website's lead-to-customer conversion rate/ }).innerText(),
    /\t18%\t19%\t\+0\.9 pts\t/,
  );

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
