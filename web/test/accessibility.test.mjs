// axe-core's accessibility pass over every page and dialog (a file of its own: the longest, run
// beside the others).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { dir, passwords, others, browser, run, serve, day, signIn, axeViolations, everyPage } from './setup.mjs';

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
