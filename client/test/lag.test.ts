// The lag simulation's queue (client/src/net/lag.ts), on a clock driven by hand.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '@snakepit/shared';
import { DelayQueue, readLag } from '../src/net/lag.ts';

test('each item waits its own delay, and nothing overtakes what went in before it', () => {
  const q = new DelayQueue<string>();
  q.push('a', 0, 150); // due 150
  q.push('b', 10, 100); // due 110, but after a: 150
  q.push('c', 20, 200); // due 220
  assert.equal(q.nextDue, 150);
  assert.deepEqual(q.take(149), []);
  assert.deepEqual(q.take(150), ['a', 'b']);
  assert.equal(q.nextDue, 220);
  assert.deepEqual(q.take(219), []);
  assert.deepEqual(q.take(1000), ['c']);
  assert.equal(q.nextDue, null);
  assert.equal(q.size, 0);
});

test('with random jitter the order is still the order they were sent in', () => {
  const q = new DelayQueue<number>();
  const rng = new Rng(5);
  for (let i = 0; i < 200; i++) q.push(i, i * 5, 150 + rng.next() * 60);
  const out: number[] = [];
  for (let now = 0; now < 2000; now += 7) out.push(...q.take(now));
  assert.deepEqual(
    out,
    Array.from({ length: 200 }, (_, i) => i),
  );
});

test('lag and jitter come from the URL only with ?debug=1', () => {
  assert.deepEqual(readLag(new URLSearchParams('debug=1&lag=150&jitter=30')), { lagMs: 150, jitterMs: 30 });
  assert.deepEqual(readLag(new URLSearchParams('debug=1&lag=150')), { lagMs: 150, jitterMs: 0 });
  assert.equal(readLag(new URLSearchParams('lag=150')), null);
  assert.equal(readLag(new URLSearchParams('debug=1')), null);
  assert.equal(readLag(new URLSearchParams('debug=1&lag=-5&jitter=x')), null);
});
