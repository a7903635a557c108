import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopScores, changedLines } from '@snakepit/shared';

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

test('a client replaying only the changed lines ends with the same table (property)', async () => {
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.integer({ min: 0, max: 60 })), { maxLength: 80 }), fc.integer({ min: 1, max: 5 }), (plays, size) => {
      const server = new TopScores([], size);
      const client = new TopScores([], size);
      let sent = server.table;
      for (const [name, score] of plays) {
        server.record(name, score);
        for (const line of changedLines(sent, server.table)) client.record(line.name, line.score);
        sent = server.table;
        assert.deepEqual(client.table, server.table);
      }
    }),
  );
});
