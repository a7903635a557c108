// Step 10: prediction replays the unacknowledged turns with the rules' own turn rule, so a
// reversal is ignored here exactly as on the server; a predicted snake ahead by n ticks is where
// the server's snake is n ticks later when nothing unexpected happens; the server acknowledges
// each player's turns.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type State, newGame, step } from '../07-rules/rules.ts';
import type { View } from '../08-deltas/delta.ts';
import { acknowledged, movedDir, predict } from '../10-predict/predict.ts';
import { start } from '../10-predict/server.ts';
import { Client } from './helpers.ts';

const W = 10;
const H = 10;

test('movedDir() reads the way a body moved from its head and neck', () => {
  assert.equal(movedDir([13, 12], W), 'right');
  assert.equal(movedDir([12, 13], W), 'left');
  assert.equal(movedDir([23, 13], W), 'down');
  assert.equal(movedDir([3, 13], W), 'up');
  assert.equal(movedDir([3], W), null);
});

test('predict(): ahead by n cells, turning as the rules would, never reversing, stopping at a wall', () => {
  const body = [13, 12, 11]; // moving right
  assert.deepEqual(predict(body, [], 2, W, H), [15, 14, 13]);
  assert.deepEqual(predict(body, [{ seq: 1, dir: 'down' }], 2, W, H), [33, 23, 13]);
  assert.deepEqual(predict(body, [{ seq: 1, dir: 'left' }], 1, W, H), [14, 13, 12], 'a reversal is used up, not taken');
  assert.deepEqual(predict([19, 18], [], 3, W, H), [19, 18], 'the wall: no guess past it');
});

test('a prediction n ticks ahead is what the rules do in n ticks, when nothing else happens', () => {
  const start: State = {
    ...newGame(3, W, H),
    players: [{ id: 1, turns: [], seq: 0 }],
    snakes: [{ id: 1, body: [44, 43, 42], dir: 'right', grow: 0 }],
  };
  const turns = [
    { seq: 1, dir: 'up' as const },
    { seq: 2, dir: 'left' as const },
  ];
  const predicted = predict(start.snakes[0]!.body, turns, 3, W, H);
  let state = step(start, { turns: turns.map((t) => ({ id: 1, ...t })) });
  state = step(step(state));
  assert.deepEqual(state.snakes[0]!.body, predicted);
  assert.equal(acknowledged(state.players[0]!), 2);
});

test('the server acknowledges my turns in its ticks', async (t) => {
  const game = await start({ port: 0, tickMs: 50, log: () => {} });
  t.after(() => game.close());
  const a = await Client.open(`ws://127.0.0.1:${game.port}/ws`);
  t.after(() => a.close());
  const snapshot = await a.next((m) => m.type === 'snapshot', 'the snapshot');
  await a.next(
    (m) => m.type === 'tick' && ((m.placed as View['snakes'] | undefined) ?? []).some((s) => s.id === snapshot.id),
    'my snake placed',
  );
  a.send({ type: 'turn', dir: 'up', seq: 1 });
  a.send({ type: 'turn', dir: 'left', seq: 2 });
  await a.next((m) => m.type === 'tick' && m.ack === 2, 'a tick acknowledging turn 2');
});
