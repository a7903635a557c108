// Whole games: the golden replay (a seed and a scripted input stream always end in the same
// state) and random games with the invariants checked after every single step.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  BOARD_SIZES,
  DEFAULT_RULES,
  type GameState,
  Rng,
  WALL_MODES,
  checkInvariants,
  createGame,
  maxStones,
  step,
} from '@snakepit/shared';
import { hashState, randomInputs, serialize } from './helpers.ts';

/** Plays `ticks` ticks from `seed` with inputs scripted by `scriptSeed`, checking every step. */
function play(seed: number, scriptSeed: number, ticks: number, config = DEFAULT_RULES): GameState {
  let state = createGame(config, seed);
  const script = new Rng(scriptSeed);
  const nextId = { value: 1 };
  for (let t = 0; t < ticks; t++) {
    const before = serialize(state);
    const next = step(state, randomInputs(state, script, nextId, 8)).state;
    const problems = checkInvariants(next, state);
    assert.deepEqual(problems, [], `tick ${next.tick}: ${problems.join('; ')}`);
    assert.equal(serialize(state), before, `tick ${next.tick} changed its input state`);
    state = next;
  }
  return state;
}

// Recorded from this code. If a rules change moves it, the change altered gameplay: check that
// it was meant to, then record the new value. (The hash covers the whole state, config included,
// so adding a config field moves it too: check the game itself did not change.)
const GOLDEN = { seed: 2026, script: 99, ticks: 2000, hash: '28cc8982800a52ac' };

test('golden replay: the same seed and inputs give the same final state', () => {
  const config = { ...DEFAULT_RULES, stones: 30 };
  const a = play(GOLDEN.seed, GOLDEN.script, GOLDEN.ticks, config);
  assert.equal(a.tick, GOLDEN.ticks);
  assert.ok(a.players.length > 0 && a.food.size > 0, 'the replay should be a busy game');
  assert.equal(hashState(a), GOLDEN.hash);
  const b = play(GOLDEN.seed, GOLDEN.script, GOLDEN.ticks, config);
  assert.equal(serialize(b), serialize(a));
});

test('a different seed gives a different game', () => {
  assert.notEqual(hashState(play(1, GOLDEN.script, 200)), hashState(play(2, GOLDEN.script, 200)));
});

test('invariants hold after every step of random games (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.record({
        width: fc.integer({ min: 10, max: 40 }),
        height: fc.integer({ min: 10, max: 30 }),
        stones: fc.integer({ min: 0, max: 20 }),
        walls: fc.constantFrom(...WALL_MODES),
      }),
      (seed, scriptSeed, board) => {
        play(seed, scriptSeed, 300, { ...DEFAULT_RULES, ...board, stones: Math.min(board.stones, maxStones(board)) });
      },
    ),
    { numRuns: 40 },
  );
});

test('invariants hold on every room size, with solid and wrapping walls and the most stones', () => {
  for (const size of Object.values(BOARD_SIZES)) {
    for (const walls of WALL_MODES) {
      const board = { width: size.width, height: size.height };
      const config = { ...DEFAULT_RULES, ...board, walls, stones: maxStones(board) };
      const end = play(7, 8, 400, config);
      assert.ok(end.players.length > 0, `${size.label} ${walls}: someone played`);
    }
  }
});

test('a wrapping game replays exactly too', () => {
  const config = { ...DEFAULT_RULES, walls: 'wrap' as const, stones: 30 };
  const a = play(GOLDEN.seed, GOLDEN.script, 1000, config);
  const b = play(GOLDEN.seed, GOLDEN.script, 1000, config);
  assert.equal(serialize(b), serialize(a));
  assert.notEqual(hashState(a), hashState(play(GOLDEN.seed, GOLDEN.script, 1000, { ...config, walls: 'solid' })));
});
