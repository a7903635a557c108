// Step 9: a snake drawn between two ticks is the old picture at alpha 0, the new one at alpha 1,
// and halfway between in between; a snake that grew keeps its tail; a new snake is drawn where it
// is. progress() is clamped to the tick.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { between, progress } from '../09-smooth/interpolate.ts';

const W = 10;
const before = [12, 11, 10]; // head at (2,1), moving right
const after = [13, 12, 11];

test('alpha 0 is the previous tick, alpha 1 the latest, 0.5 halfway', () => {
  // The head and the tail glide; the cells between stay (at alpha 1 the tail has reached the
  // cell before it, so that cell is drawn twice).
  assert.deepEqual(between(before, after, 0, W), [
    [2, 1],
    [2, 1],
    [1, 1],
    [0, 1],
  ]);
  assert.deepEqual(between(before, after, 0.5, W), [
    [2.5, 1],
    [2, 1],
    [1, 1],
    [0.5, 1],
  ]);
  assert.deepEqual(between(before, after, 1, W), [
    [3, 1],
    [2, 1],
    [1, 1],
    [1, 1],
  ]);
});

test('a snake that grew keeps its tail; a new or jumping snake is drawn where it is', () => {
  assert.deepEqual(between(before, [13, 12, 11, 10], 0.5, W), [
    [2.5, 1],
    [2, 1],
    [1, 1],
    [0, 1],
  ]);
  assert.deepEqual(between(undefined, after, 0.5, W), [
    [3, 1],
    [2, 1],
    [1, 1],
  ]);
  assert.deepEqual(between([55], after, 0.5, W), [
    [3, 1],
    [2, 1],
    [1, 1],
  ]);
});

test('progress() goes from 0 to 1 over a tick and stays there', () => {
  assert.equal(progress(1000, 1000, 100), 0);
  assert.equal(progress(1050, 1000, 100), 0.5);
  assert.equal(progress(1500, 1000, 100), 1);
  assert.equal(progress(900, 1000, 100), 0);
});
