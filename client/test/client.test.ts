// The client's pure parts, without a DOM: interpolation, swipes, keys, backoff, the session.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RULES, type MirrorSnake, createGame, snapshotMessage, step, tickMessage } from '@snakepit/shared';
import { classifySwipe } from '../src/input/swipe.ts';
import { keyDirection } from '../src/input/keys.ts';
import { backoffMs, closeReason } from '../src/net/connection.ts';
import { bodyPoints, snakeEnds, tickAlpha } from '../src/state/interpolate.ts';
import { Session } from '../src/state/session.ts';

const W = 10;
const cell = (x: number, y: number) => y * W + x;

describe('interpolation', () => {
  test('alpha runs 0..1 across one tick interval and stays clamped', () => {
    assert.equal(tickAlpha(1000, 1000, 100), 0);
    assert.equal(tickAlpha(1050, 1000, 100), 0.5);
    assert.equal(tickAlpha(1300, 1000, 100), 1);
    assert.equal(tickAlpha(900, 1000, 100), 0);
  });

  // A snake that just moved right from (2,5)-(1,5)-(0,5) to (3,5)-(2,5)-(1,5), dropping (0,5).
  const moved: MirrorSnake = { body: [cell(3, 5), cell(2, 5), cell(1, 5)], moved: true, trimmed: [cell(0, 5)] };

  test('at alpha 0 the ends are where the previous tick left them', () => {
    const e = snakeEnds(moved, W, 0);
    assert.deepEqual(e.head, { x: 2.5, y: 5.5 });
    assert.deepEqual(e.tailEnd, { x: 0.5, y: 5.5 });
  });

  test('at alpha 0.5 the head and the tail end are half a cell along', () => {
    const e = snakeEnds(moved, W, 0.5);
    assert.deepEqual(e.head, { x: 3, y: 5.5 });
    assert.deepEqual(e.tailEnd, { x: 1, y: 5.5 });
    assert.deepEqual(e.neck, { x: 2.5, y: 5.5 });
    assert.deepEqual(e.tail, { x: 1.5, y: 5.5 });
  });

  test('a growing snake keeps its tail still; a new snake does not slide its head', () => {
    const growing: MirrorSnake = { ...moved, trimmed: [] };
    assert.deepEqual(snakeEnds(growing, W, 0.3).tailEnd, { x: 1.5, y: 5.5 });
    const fresh: MirrorSnake = { ...moved, moved: false, trimmed: [] };
    assert.deepEqual(snakeEnds(fresh, W, 0.3).head, { x: 3.5, y: 5.5 });
  });

  test('the still body runs from the neck to the tail', () => {
    assert.deepEqual(bodyPoints(moved, W), [
      { x: 2.5, y: 5.5 },
      { x: 1.5, y: 5.5 },
    ]);
  });
});

describe('input', () => {
  const swipes: [number, number, string | null][] = [
    [40, 3, 'right'],
    [-40, 5, 'left'],
    [2, -30, 'up'],
    [0, 50, 'down'],
    [10, 10, null], // too short
    [30, 29, null], // too diagonal to call
  ];
  for (const [dx, dy, want] of swipes) {
    test(`a swipe of (${dx}, ${dy}) is ${want ?? 'not a turn'}`, () => assert.equal(classifySwipe(dx, dy), want));
  }

  test('arrows and WASD steer; other keys do not', () => {
    assert.equal(keyDirection('ArrowUp'), 'up');
    assert.equal(keyDirection('KeyA'), 'left');
    assert.equal(keyDirection('KeyD'), 'right');
    assert.equal(keyDirection('KeyQ'), null);
  });
});

describe('connection', () => {
  test('backoff doubles from 0.5 s up to 8 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(backoffMs), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
  test('close codes read as reasons a player understands; the server\'s own reason wins', () => {
    assert.equal(closeReason(1001, 'server shutting down'), 'the server is restarting');
    assert.equal(closeReason(1013, 'server is full'), 'server is full');
    assert.equal(closeReason(1013, ''), 'the server is busy');
  });
});

describe('session', () => {
  function started() {
    let state = createGame(DEFAULT_RULES, 9);
    state = step(state, { joins: [{ id: 1, name: 'me' }, { id: 2, name: 'you' }] }).state;
    const s = new Session();
    s.handle({ type: 'welcome', tick: state.tick, protocol: 1, room: 'r', width: 60, height: 40, tickRate: 10, maxPlayers: 10 }, 0);
    s.handle(snapshotMessage(state, []), 0);
    s.handle({ type: 'joined', tick: state.tick, id: 1 }, 0);
    return { s, state };
  }

  test('me: id, alive, length, head and facing from the mirror', () => {
    const { s, state } = started();
    const me = s.me!;
    const body = state.players[0]!.snake!.body;
    assert.equal(me.id, 1);
    assert.equal(me.alive, true);
    assert.equal(me.length, 3);
    assert.deepEqual(me.head, [body[0]! % 60, Math.floor(body[0]! / 60)]);
    assert.ok(['up', 'down', 'left', 'right'].includes(me.dir!));
    assert.equal(s.intervalMs, 100);
  });

  test('my death is reported with its cause; a tick gap asks for a resync', () => {
    const { s, state } = started();
    const next = step(state, { leaves: [] });
    const deathTick = { ...tickMessage(state, next.state, next.events, null), deaths: [{ id: 1, cause: 'wall' as const, by: null }] };
    const changes = s.handle(deathTick, 100);
    assert.deepEqual(changes.at(-1), { kind: 'died', cause: 'wall', by: null, score: 0 });
    assert.deepEqual(s.handle({ type: 'tick', tick: next.state.tick + 5 }, 200), [{ kind: 'resync' }]);
    assert.deepEqual(s.handle({ type: 'tick', tick: next.state.tick + 6 }, 300), [], 'asked once, until the snapshot comes');
  });
});
