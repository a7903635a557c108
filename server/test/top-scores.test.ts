import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopScores } from '../src/rooms/top-scores.ts';

test('keeps the best score per name, highest first, at most `size` lines', () => {
  const top = new TopScores([], 3);
  assert.equal(top.record('ann', 5), true);
  assert.equal(top.record('bob', 9), true);
  assert.equal(top.record('ann', 3), false, 'lower than ann\'s best');
  assert.equal(top.record('ann', 7), true);
  assert.equal(top.record('cy', 1), true);
  assert.equal(top.record('dee', 1), false, 'does not beat the last line');
  assert.equal(top.record('dee', 2), true);
  assert.deepEqual(top.table, [
    { name: 'bob', score: 9 },
    { name: 'ann', score: 7 },
    { name: 'dee', score: 2 },
  ]);
  assert.equal(top.record('zed', 0), false, 'zero never makes the table');
});
