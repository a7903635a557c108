// The ticker: on schedule, one timer, one stop path, and a throwing tick stops it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ticker } from '../src/rooms/loop.ts';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('start() twice makes one timer; stop() clears it', async () => {
  const base = timers();
  let ticks = 0;
  const ticker = new Ticker(5, () => ticks++, () => undefined);
  ticker.start();
  ticker.start();
  assert.equal(timers(), base + 1);
  await new Promise((r) => setTimeout(r, 60));
  ticker.stop();
  assert.equal(timers(), base);
  assert.equal(ticker.running, false);
  const seen = ticks;
  assert.ok(seen >= 3, `ticked ${seen} times in 60 ms at 5 ms`);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(ticks, seen, 'no tick after stop');
});

test('a tick may stop its own ticker, and then nothing more is scheduled', async () => {
  const base = timers();
  let ticks = 0;
  const ticker = new Ticker(2, () => {
    if (++ticks === 3) ticker.stop();
  }, () => undefined);
  ticker.start();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(ticks, 3);
  assert.equal(timers(), base);
});

test('a throwing tick stops the ticker and reports the error', async () => {
  const base = timers();
  const errors: unknown[] = [];
  const ticker = new Ticker(2, () => {
    throw new Error('boom');
  }, (err) => errors.push(err));
  ticker.start();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(errors.length, 1);
  assert.equal(ticker.running, false);
  assert.equal(timers(), base);
});

test('after a stall it skips ahead and counts the missed ticks instead of bursting', async () => {
  const seen: { latenessMs: number; missed: number }[] = [];
  const ticker = new Ticker(10, (t) => {
    seen.push(t);
    if (seen.length === 1) {
      const until = performance.now() + 80; // block the event loop for 8 ticks' worth
      while (performance.now() < until);
    }
    if (seen.length === 3) ticker.stop();
  }, () => undefined);
  ticker.start();
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(seen.length, 3);
  assert.ok(seen[1]!.missed >= 4, `missed ${seen[1]!.missed}`);
  assert.ok(seen[2]!.latenessMs < 10, `back on schedule, lateness ${seen[2]!.latenessMs}`);
});
