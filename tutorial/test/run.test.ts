// `npm run step -- N`: a missing or wrong N lists the steps; a step with a page serves it on
// PORT and says what to open.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStep, stop } from './helpers.ts';

test('without N, the steps are listed', async () => {
  const run = runStep([]);
  assert.equal(await run.exited, 0);
  for (let n = 0; n <= 10; n++) await run.out.waitFor(new RegExp(`^ {2}${n} {2}\\S`));
});

test('a wrong N says so and lists the steps', async () => {
  const run = runStep(['99']);
  assert.equal(await run.exited, 1);
  await run.out.waitFor(/^There is no step "99"/);
  await run.out.waitFor(/^ {2}6 {2}two server processes/);
});

test('a step with a page serves it on PORT and prints what to open', async (t) => {
  const run = runStep(['1'], { PORT: '0' });
  t.after(() => stop(run));
  const line = await run.out.waitFor(/^Open http:\/\/localhost:\d+\/ /);
  const port = /localhost:(\d+)/.exec(line)![1];
  const page = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(page.status, 200);
  await page.text();
});
