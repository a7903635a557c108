// The ticker: on schedule, one timer, one stop path, and a throwing tick stops it. All on a fake
// clock (no real sleeps, exact times), plus one run on the real clock that asserts only events.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TickTiming, Ticker, firstDeadline } from '../src/rooms/loop.ts';
import { FakeClock } from './fake-clock.ts';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const noError = () => undefined;

/** A ticker on a fake clock that records when each tick ran and what timing it was given. */
function recorded(intervalMs: number, clock: FakeClock, body: (n: number) => void = () => undefined) {
  const at: number[] = [];
  const timing: TickTiming[] = [];
  const ticker = new Ticker(
    intervalMs,
    (t) => {
      at.push(clock.now());
      timing.push(t);
      body(at.length);
    },
    noError,
    clock,
  );
  return { ticker, at, timing };
}

test('start() twice makes one timer; stop() cancels it and nothing ticks after', () => {
  const clock = new FakeClock();
  const { ticker, at } = recorded(5, clock);
  ticker.start();
  ticker.start();
  assert.equal(clock.pending, 1, 'one timer however often start() is called');
  clock.advance(60);
  assert.equal(at.length, 12, 'every 5 ms for 60 ms');
  assert.equal(clock.pending, 1, 'still exactly one timer while running');
  ticker.stop();
  assert.equal(ticker.running, false);
  assert.equal(clock.pending, 0, 'stop() cleared the one timer');
  clock.advance(100);
  assert.equal(at.length, 12, 'no tick after stop');
  ticker.stop(); // a second stop is harmless
  assert.equal(clock.pending, 0);
});

test('drift correction: slow ticks do not push later ones back', () => {
  const clock = new FakeClock();
  // Every tick takes 4 ms of a 10 ms interval.
  const { ticker, at, timing } = recorded(10, clock, () => clock.burn(4));
  ticker.start();
  clock.advance(100);
  ticker.stop();
  assert.deepEqual(at, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 'each deadline is the last plus the interval');
  assert.ok(timing.every((t) => t.latenessMs === 0 && t.missed === 0));
  // The wait after each tick is what is left of the interval, not a whole interval.
  assert.deepEqual(clock.delays, [10, ...Array(10).fill(6)]);
});

test('a late tick is reported late, and the next one is back on schedule', () => {
  const clock = new FakeClock();
  // The third tick takes 15 ms: one and a half intervals.
  const { ticker, at, timing } = recorded(10, clock, (n) => n === 3 && clock.burn(15));
  ticker.start();
  clock.advance(60);
  ticker.stop();
  assert.deepEqual(at, [10, 20, 30, 45, 50, 60]);
  assert.deepEqual(
    timing.map((t) => t.latenessMs),
    [0, 0, 0, 5, 0, 0],
  );
  assert.ok(
    timing.every((t) => t.missed === 0),
    'one interval behind is caught up, not skipped',
  );
});

test('after a stall it skips ahead and counts the missed ticks instead of bursting', () => {
  const clock = new FakeClock();
  // The first tick blocks for 8 ticks' worth.
  const { ticker, at, timing } = recorded(10, clock, (n) => n === 1 && clock.burn(80));
  ticker.start();
  clock.advance(120);
  ticker.stop();
  // Due at 20 but run at 90: 7 intervals behind, more than the 3 it would catch up.
  assert.deepEqual(at, [10, 90, 100, 110, 120], 'one tick at once, then on the interval again');
  assert.equal(timing[1]!.missed, 7);
  assert.equal(timing[1]!.latenessMs, 0, 'the skipped-to deadline is now');
  assert.deepEqual(
    timing.slice(2).map((t) => [t.latenessMs, t.missed]),
    [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  );
});

test('a phase places every tick at that point of the interval', () => {
  const clock = new FakeClock(1000);
  const { ticker, at } = recorded(100, clock);
  ticker.start(0.25); // 1025 is too soon (under half an interval away): 1125
  clock.advance(400);
  ticker.stop();
  assert.deepEqual(at, [1125, 1225, 1325]);
});

test('firstDeadline: at the phase, at least half an interval away', () => {
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

test('a tick may stop its own ticker, and then nothing more is scheduled', () => {
  const clock = new FakeClock();
  const { ticker, at } = recorded(2, clock, (n) => n === 3 && ticker.stop());
  ticker.start();
  clock.advance(50);
  assert.equal(at.length, 3);
  assert.equal(clock.pending, 0);
});

test('a tick that stops and restarts its ticker still leaves one timer', () => {
  const clock = new FakeClock();
  const { ticker, at } = recorded(10, clock, (n) => {
    if (n !== 2) return;
    ticker.stop();
    ticker.start();
  });
  ticker.start();
  clock.advance(25);
  assert.equal(clock.pending, 1);
  clock.advance(100);
  assert.equal(clock.pending, 1);
  assert.deepEqual(at.slice(0, 4), [10, 20, 30, 40]);
  ticker.stop();
  assert.equal(clock.pending, 0);
});

test('a throwing tick stops the ticker and reports the error', () => {
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const ticker = new Ticker(
    2,
    () => {
      throw new Error('boom');
    },
    (err) => errors.push(err),
    clock,
  );
  ticker.start();
  clock.advance(30);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /boom/);
  assert.equal(ticker.running, false);
  assert.equal(clock.pending, 0);
});

test('on the real clock: it ticks, and stop() leaves no timer behind', async () => {
  const base = timers();
  let wake: () => void = () => undefined;
  let ticks = 0;
  const ticker = new Ticker(
    2,
    () => {
      if (++ticks === 3) wake();
    },
    noError,
  );
  ticker.start();
  ticker.start();
  assert.equal(timers(), base + 1, 'one real timer');
  await new Promise<void>((resolve) => (wake = resolve));
  ticker.stop();
  assert.equal(timers(), base);
  assert.equal(ticker.running, false);
});
