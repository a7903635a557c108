// The tick clock and the render clock, driven by hand: arrivals with jitter from a seeded
// generator and frames every 16.7 ms, with no real time involved.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '@snakepit/shared';
import { MAX_BUFFER_TICKS, MIN_BUFFER_TICKS, PresentClock, RenderClock, TickClock } from '../src/state/tick-clock.ts';

const INTERVAL = 100;
const FRAME = 1000 / 60;

interface Run {
  /** The render tick after every frame. */
  drawn: number[];
  clock: TickClock;
}

/**
 * Plays `ticks` ticks: tick n leaves the server at n * INTERVAL and arrives `delay(n)` ms later
 * (order kept, as TCP does); a frame is drawn every FRAME ms.
 */
function play(ticks: number, delay: (n: number) => number): Run {
  const clock = new TickClock(INTERVAL);
  const render = new RenderClock(clock);
  const arrivals: number[] = [];
  for (let n = 1; n <= ticks; n++) arrivals.push(Math.max(n * INTERVAL + delay(n), arrivals.at(-1) ?? 0));
  const drawn: number[] = [];
  let next = 0;
  for (let now = INTERVAL; now < ticks * INTERVAL; now += FRAME) {
    while (next < arrivals.length && arrivals[next]! <= now) clock.arrive(next + 1, arrivals[next++]!);
    drawn.push(render.advance(now, FRAME));
  }
  return { drawn, clock };
}

/** Frames (after the first second) where the drawing stalled: moved on by less than half a frame's worth. */
function stalls(drawn: number[]): number {
  let n = 0;
  for (let i = 60; i < drawn.length; i++) if (!(drawn[i]! - drawn[i - 1]! > (0.5 * FRAME) / INTERVAL)) n++;
  return n;
}

test('on a steady link the clock is found exactly, the buffer is its minimum and motion never stops', () => {
  const { drawn, clock } = play(100, () => 40);
  assert.ok(Math.abs(clock.serverTick(100 * INTERVAL + 40) - 100) < 1e-9);
  assert.equal(clock.bufferTicks(), MIN_BUFFER_TICKS);
  assert.equal(stalls(drawn), 0);
  // One tick per interval: over the last 5 s the render clock covered 50 ticks, give or take one frame.
  const perFrame = (drawn.at(-1)! - drawn.at(-301)!) / 300;
  assert.ok(Math.abs(perFrame - FRAME / INTERVAL) < 0.002, `moved ${perFrame} ticks a frame`);
});

test('with 30 ms of jitter the buffer grows to cover it and no frame stalls', () => {
  const rng = new Rng(7);
  const { drawn, clock } = play(300, () => 20 + rng.next() * 30);
  const buffer = clock.bufferTicks();
  assert.ok(buffer > MIN_BUFFER_TICKS && buffer <= MIN_BUFFER_TICKS + 0.3, `buffer ${buffer} ticks`);
  assert.equal(stalls(drawn), 0);
});

test('arrival pacing, the old way, stalls under the same jitter', () => {
  // The page used to draw tick n from its arrival until the next one came: one interval's glide.
  const rng = new Rng(7);
  const arrivals = Array.from({ length: 300 }, (_, i) => (i + 1) * INTERVAL + 20 + rng.next() * 30);
  const drawn: number[] = [];
  let last = 0;
  for (let now = INTERVAL * 10; now < 300 * INTERVAL; now += FRAME) {
    while (last < arrivals.length - 1 && arrivals[last + 1]! <= now) last++;
    drawn.push(last + Math.min(1, (now - arrivals[last]!) / INTERVAL));
  }
  const old = stalls(drawn);
  assert.ok(old >= 10, `${old} stall frames`);
  // The same arrivals through the tick clock: none (the test above).
});

test('a gap longer than the buffer slows the drawing smoothly, then it catches up', () => {
  // Ticks 50-54 are held up by half a second (a lost packet resent), then arrive together.
  const drawn = play(120, (n) => (n >= 50 && n <= 54 ? 40 + (55 - n) * 100 : 40)).drawn.filter((t) => !Number.isNaN(t));
  const steps = drawn.slice(1).map((t, i) => t - drawn[i]!);
  const nominal = FRAME / INTERVAL;
  // Never faster than 1.5x, never backwards.
  for (const s of steps) assert.ok(s >= 0 && s <= nominal * 1.5 + 1e-9, `a frame moved ${s} ticks`);
  // Slowing down is gradual: no frame goes from full speed to a stop.
  for (let i = 1; i < steps.length; i++) {
    if (steps[i - 1]! > nominal * 0.9) assert.ok(steps[i]! > nominal * 0.3, `frame ${i} stopped at once`);
  }
  // And it recovers: the last second runs at full speed again.
  assert.equal(stalls(drawn.slice(-60)), 0);
});

test('the buffer is bounded on a terrible link', () => {
  const rng = new Rng(3);
  const { clock } = play(200, () => rng.next() * 2000);
  assert.equal(clock.bufferTicks(), MAX_BUFFER_TICKS);
});

test('the present clock follows its target without jumping, and snaps only when far off', () => {
  const present = new PresentClock();
  assert.ok(Number.isNaN(present.advance(Number.NaN, FRAME, INTERVAL)));
  let target = 50;
  assert.equal(present.advance(target, FRAME, INTERVAL), 50, 'the first target is taken as it is');
  // The target steps 0.6 ticks ahead (a new round-trip sample): the clock leans in, at most 1.5x.
  target += 0.6;
  const drawn: number[] = [50];
  for (let i = 0; i < 120; i++) {
    target += FRAME / INTERVAL;
    drawn.push(present.advance(target, FRAME, INTERVAL));
  }
  for (let i = 1; i < drawn.length; i++) {
    const step = drawn[i]! - drawn[i - 1]!;
    assert.ok(step > 0 && step <= (1.5 * FRAME) / INTERVAL + 1e-9, `a frame moved ${step} ticks`);
  }
  assert.ok(Math.abs(drawn.at(-1)! - target) < 0.01, 'caught up within two seconds');
  // Four ticks off is not worth catching up on: it jumps.
  assert.equal(present.advance(target + 4, FRAME, INTERVAL), target + 4);
});
