// The ticker: on schedule, one timer, one stop path, and a throwing tick stops it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ticker, firstDeadline } from '../src/rooms/loop.ts';

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

test('a phase places the first tick at that point of the interval, at least half an interval away', () => {
  assert.equal(firstDeadline(1000, 100), 1100);
  // 1000 is position 0 of a 100 ms interval: phase 0.25 is due at 1025, too soon, so 1125.
  assert.equal(firstDeadline(1000, 100, 0.25), 1125);
  assert.equal(firstDeadline(1000, 100, 0.75), 1075);
  assert.equal(firstDeadline(1010, 100, 0), 1100);
  assert.equal(firstDeadline(1060, 100, 0), 1200);
  for (let now = 0; now < 300; now += 7) {
    for (const phase of [0, 0.1, 0.5, 0.618, 0.99]) {
      const d = firstDeadline(now, 100, phase);
      assert.ok(d - now >= 50 && d - now < 150, `now ${now} phase ${phase}: due in ${d - now}`);
      assert.ok(Math.abs((((d % 100) + 100) % 100) - phase * 100) < 1e-9);
    }
  }
});
