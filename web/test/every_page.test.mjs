// Every page at once: keyboard-only sign-in, named controls, a 390-px phone, dark and print styles,
// and the screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dir, passwords, others, base, browser, run, serve, day, openPage, signIn, shots, unnamedControls, everyPage } from './setup.mjs';


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
