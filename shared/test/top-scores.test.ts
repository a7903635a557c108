import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopScores, changedLines } from '@snakepit/shared';

test('keeps the best score per name, highest first, at most `size` lines', () => {
  const top = new TopScores([], 3);
  assert.equal(top.record('ann', 5), true);
  assert.equal(top.record('bob', 9), true);
  assert.equal(top.record('ann', 3), false, "lower than ann's best");
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

test('a client replaying only the changed lines ends with the same table, however they are batched (property)', async () => {
  const fc = (await import('fast-check')).default;
  const play = fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'l', 'x'), fc.integer({ min: 0, max: 12 }));
  // Each play may or may not be followed by a send: changes pile up between sends, as they do
  // on the server between its once-a-second updates.
  fc.assert(
    fc.property(fc.array(fc.tuple(play, fc.boolean()), { maxLength: 80 }), fc.integer({ min: 1, max: 5 }), (plays, size) => {
      const server = new TopScores([], size);
      const client = new TopScores([], size);
      let sent = server.table;
      const sync = () => {
        // In any order: reversed here, to show the order of lines does not matter.
        for (const line of changedLines(sent, server.table).reverse()) client.record(line.name, line.score);
        sent = server.table;
        assert.deepEqual(client.table, server.table);
      };
      for (const [[name, score], send] of plays) {
        server.record(name, score);
        if (send) sync();
      }
      sync();
    }),
    { numRuns: 2000 },
  );
});

test('the table depends on the best score per name, not on the order they came in', () => {
  const a = new TopScores([], 2);
  const b = new TopScores([], 2);
  for (const [n, s] of [
    ['a', 10],
    ['l', 5],
    ['x', 5],
  ] as const)
    a.record(n, s);
  for (const [n, s] of [
    ['x', 5],
    ['a', 10],
    ['l', 5],
  ] as const)
    b.record(n, s);
  assert.deepEqual(a.table, b.table);
  assert.deepEqual(a.table, [
    { name: 'a', score: 10 },
    { name: 'l', score: 5 },
  ]);
});
