// The Insight page: correlation, funnels, allocation, experiments and breakdowns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base, run, seeded, openPage, signIn } from './setup.mjs';

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
  // Rates to two decimals, as the CLI prints them: 3,967 / 176,500 = 2.2476% reads 2.24%, and the
  // overall 92 / 176,500 = 0.0521% reads 0.05%, not 0%.
  assert.equal(await funnel.locator('tbody tr').nth(1).innerText(), 'Leads\t3,967 leads\t2.24%');
  assert.match(await page.getByText('Inbound funnel: overall conversion', { exact: false }).innerText(), /^Inbound funnel: overall conversion 0\.05%/);
  await page.getByLabel('Target for the last stage').fill('100');
  await page.getByRole('button', { name: 'Derive volumes' }).click();
  await page.waitForURL(/target=100/);
  await funnel.getByRole('columnheader', { name: 'Required' }).waitFor();
  assert.equal(await funnel.locator('tbody tr').nth(0).innerText(), 'Organic visits\t176,500 visits\t—\t191,848 visits\t15,348 visits');
  assert.equal(await funnel.locator('tbody tr').nth(3).innerText(), 'New customers\t92 customers\t11.01%\t100 customers\t8 customers');
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
  assert.match(await first.innerText(), /2,734\.38 \(27\.3%\)$/);

  // Experiments: lift with its interval, in words and drawn.
  await page
    .getByText(
      'Variant 6.00% against control 4.00%: lift +2.0 points (95% interval +0.6 to +3.3 points), +50.0% relative; likely not chance (p = 0.004).',
    )
    .waitFor();
  await page.locator('.whisker[aria-label="Lift +2.0 points, 95% interval +0.6 to +3.3; zero marked"]').waitFor();

  assert.deepEqual(problems, []);
  assert.deepEqual(refusals.sort(), ['401 /api/v1/me', '422 /api/v1/funnels/inbound/analysis']);
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
