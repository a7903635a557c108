// Step 7: the rules are a pure, seeded function (the same seed and inputs give the same game, and
// nothing passed in is changed), turns are judged against the move made, collisions are judged
// all at once, and food grows a snake. Then the server: a player's turn reaches its snake.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIRS, type Inputs, type State, newGame, nextDir, step } from '../07-rules/rules.ts';
import { start } from '../07-rules/server.ts';
import { Client, type Message } from './helpers.ts';

/** A game of `ticks` ticks with scripted inputs drawn from `seed`. */
function play(seed: number, ticks: number): State {
  let state = step(newGame(seed), { joins: [1, 2, 3] });
  for (let t = 0; t < ticks; t++) {
    const inputs: Inputs = {
      turns: [{ id: 1 + (t % 3), dir: DIRS[(t * 7) % 4]!, seq: t + 1 }],
      joins: t === 50 ? [4] : [],
      leaves: t === 80 ? [2] : [],
    };
    state = step(state, inputs);
  }
  return state;
}

test('the same seed and inputs replay the same game; another seed gives another', () => {
  assert.deepEqual(play(42, 300), play(42, 300));
  assert.notDeepEqual(play(42, 300), play(43, 300));
});

test('step() changes nothing it is given', () => {
  const state = play(7, 20);
  const copy = structuredClone(state);
  const inputs: Inputs = { turns: [{ id: 1, dir: 'up', seq: 99 }], joins: [9] };
  const inputsCopy = structuredClone(inputs);
  step(state, inputs);
  assert.deepEqual(state, copy);
  assert.deepEqual(inputs, inputsCopy);
});

test('a reversal is ignored; two quick keys turn twice, never into the neck', () => {
  assert.deepEqual(nextDir('right', [{ dir: 'left' }]).dir, 'right');
  const first = nextDir('right', [{ dir: 'up' }, { dir: 'left' }]);
  assert.equal(first.dir, 'up');
  assert.equal(nextDir(first.dir, first.rest).dir, 'left', 'left is judged against up, the move made');
});

const board = (snakes: State['snakes'], food: number[] = []): State => ({
  ...newGame(1, 10, 10),
  players: snakes.map((s) => ({ id: s.id, turns: [], seq: 0 })),
  snakes,
  food,
});

test('two heads on one cell both die; a head into a wall dies', () => {
  const heads = step(
    board([
      { id: 1, body: [1, 0], dir: 'right', grow: 0 },
      { id: 2, body: [3, 4], dir: 'left', grow: 0 },
    ]),
  );
  assert.equal(heads.snakes.length, 0, 'both died on cell 2');
  const wall = step(board([{ id: 1, body: [9, 8], dir: 'right', grow: 0 }]));
  assert.equal(wall.snakes.length, 0);
});

test('a head moving into a tail that moves away lives; food grows a snake by one', () => {
  // A snake curled in a square, its head next to its own tail: the tail leaves as the head comes.
  const chase = step(board([{ id: 1, body: [0, 10, 11, 1], dir: 'right', grow: 0 }]));
  assert.deepEqual(chase.snakes[0]?.body, [1, 0, 10, 11]);
  const fed = step(board([{ id: 1, body: [11, 10], dir: 'right', grow: 0 }], [12]));
  assert.deepEqual(fed.snakes[0]!.body, [12, 11]);
  assert.equal(fed.snakes[0]!.grow, 1);
  assert.deepEqual(step(fed).snakes[0]!.body, [13, 12, 11], 'the tail stays put for one tick');
});

test('the server: a player gets a snake, and its turn reaches it', async (t) => {
  // Slow ticks: a new snake starts moving sideways into the open, a dozen cells from a wall, so
  // the turn arrives long before it could hit one. It turns toward the middle, so it lives.
  const game = await start({ port: 0, tickMs: 200, log: () => {} });
  t.after(() => game.close());
  const a = await Client.open(`ws://127.0.0.1:${game.port}/ws`);
  t.after(() => a.close());
  const welcome = await a.next((m) => m.type === 'welcome', 'the welcome');
  const mine = (m: Message) => (m.state as State | undefined)?.snakes.find((s) => s.id === welcome.id);
  const first = await a.next((m) => m.type === 'tick' && mine(m) !== undefined, 'a tick with my snake');
  const { width, height } = first.state as State;
  const turn = Math.floor(mine(first)!.body[0]! / width) < height / 2 ? 'down' : 'up';
  a.send({ type: 'turn', dir: turn, seq: 1 });
  await a.next((m) => m.type === 'tick' && mine(m)?.dir === turn, `my snake going ${turn}`);
  a.socket.send('{"type":"turn","dir":"sideways"}');
  await a.next((m) => m.type === 'error', 'an error for a bad turn');
});
