// Step 0: a timer is late by about as long as blocking work keeps the thread busy, and on time
// without it. The bound on the blocked tick holds on any machine: while the work spins, no timer
// can fire, so some gap between ticks is at least the work's length.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TICK_MS, measure } from '../00-event-loop/timers.ts';
import { runStep } from './helpers.ts';

const WORK_MS = 300;

test('blocking work makes the tick late by about its length; without it the tick is on time', async () => {
  const free = await measure(0);
  const blocked = await measure(WORK_MS);
  assert.equal(free.length, 10);
  assert.equal(blocked.length, 10);
  assert.ok(Math.max(...blocked) >= WORK_MS - TICK_MS, `worst blocked tick only ${Math.max(...blocked)} ms late`);
  assert.ok(Math.max(...free) < Math.max(...blocked), `free ${free} vs blocked ${blocked}`);
});

test('npm run step -- 0 prints both measurements and exits', async () => {
  const run = runStep(['0']);
  assert.equal(await run.exited, 0);
  await run.out.waitFor(/^ {2}no other work: +(\d+ +)+ms$/);
  await run.out.waitFor(/^ {2}300 ms of blocking work: +(\d+ +)+ms$/);
});
