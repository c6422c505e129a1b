// The My work page: the signed-in person's to-do list.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { dir, passwords, others, run, serve, openPage, signIn } from './setup.mjs';

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
  // Teams by name, as everywhere on the dashboard.
  const teams = (await (await page.request.get(`${served.base}/api/v1/teams`)).json()).teams;
  for (const r of todo.reviews_due) await page.getByText(`Team ${teams.find((x) => x.id === r.team).name}:`).waitFor();
  // A lead marks an action done from here: the API stores it, and the CLI's list loses it.
  const action = todo.upcoming_actions[0];
  // The button reads "Mark done"; its accessible name carries the action's title.
  const mark = page.getByRole('button', { name: `Mark done: ${action.title}` });
  assert.equal(await mark.innerText(), 'Mark done');
  // The page says "Done ✓" at once, before the write lands, and drops the row when the list is
  // read again: the PATCH is held until "Done ✓" is seen, and its answer awaited before the CLI
  // is asked (under load it could read first).
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(`**/api/v1/actions/${action.action}`, async (route) => {
    if (route.request().method() === 'PATCH') await held;
    await route.continue();
  });
  const patched = page.waitForResponse(
    (r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/v1/actions/${action.action}`),
  );
  await mark.click();
  await page.getByRole('status').filter({ hasText: 'Done ✓' }).waitFor();
  release();
  const answer = await patched;
  assert.equal(answer.status(), 200, await answer.text());
  await page.getByRole('listitem').filter({ hasText: action.title }).waitFor({ state: 'detached' });
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
