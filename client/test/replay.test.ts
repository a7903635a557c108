// The replay viewer's timeline (client/src/replay/timeline.ts), without a DOM: from a recording's
// start state and inputs it gives the state at any tick, forwards or backwards, the same as the
// game that was recorded; and it refuses a reply that is not a replay.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RULES, type GameState, Rng, createGame, step } from '@snakepit/shared';
import { hashState, randomNetInputs } from '../../shared/test/helpers.ts';
import { CACHE_EVERY, type ReplayData, Timeline, checkReplay } from '../src/replay/timeline.ts';

/** A recorded game as GET /api/replays/:id would serve it (through JSON), and its states by tick. */
function recorded(ticks: number, startAt = 40): { data: ReplayData; states: Map<number, GameState> } {
  let state = createGame({ ...DEFAULT_RULES, width: 24, height: 20, stones: 6 }, 9);
  const script = new Rng(3);
  const nextId = { value: 1 };
  const states = new Map<number, GameState>();
  const inputs: ReplayData['ticks'][number][] = [];
  let start: GameState | null = null;
  for (let i = 0; i < ticks; i++) {
    if (state.tick === startAt) start = state;
    const input = randomNetInputs(state, script, nextId, 6);
    state = step(state, input).state;
    states.set(state.tick, state);
    if (start) inputs.push({ tick: state.tick, ...input });
  }
  const json = JSON.parse(
    JSON.stringify({
      id: 'AAAAAAAAAAAA',
      room: 'pit',
      player: { id: 1, name: 'bot1' },
      score: 3,
      tickRate: 10,
      from: startAt + 5,
      to: state.tick,
      at: new Date(0).toISOString(),
      start: { ...start!, food: [...start!.food] },
      ticks: inputs,
    }),
  ) as unknown;
  states.set(startAt, start!);
  return { data: checkReplay(json), states };
}

test('the state at any tick, in any order, is the recorded game at that tick', () => {
  const { data, states } = recorded(400);
  const timeline = new Timeline(data);
  assert.equal(timeline.first, data.from);
  assert.equal(timeline.last, data.to);
  const order = [data.to, data.from, 45, 200, 41, 399, 120, 120, 40 + CACHE_EVERY, 40 + CACHE_EVERY - 1];
  for (const tick of order) assert.equal(hashState(timeline.at(tick)), hashState(states.get(tick)!), `tick ${tick}`);
  assert.equal(timeline.at(10_000).tick, data.to, 'clamped to the end');
  assert.equal(timeline.at(0).tick, data.start.tick, 'and to the start');
  assert.equal(timeline.seconds(data.from + 25), 2.5);
  // Stepping on one tick at a time gives the same states as seeking.
  let s = timeline.at(100);
  for (let t = 101; t <= 140; t++) {
    s = timeline.next(s).state;
    assert.equal(hashState(s), hashState(states.get(t)!));
  }
});

test('a reply that is not a replay is refused with a reason', () => {
  const { data } = recorded(100);
  for (const bad of [
    null,
    'text',
    {},
    { ...data, ticks: 'x' },
    { ...data, from: data.to },
    { ...data, start: { ...data.start, tick: data.from + 1 } },
  ]) {
    assert.throws(() => checkReplay(bad), /not a replay/);
  }
});
