// What the page makes of a tick, without a DOM: the events that drive effects and sounds (eats,
// deaths, spawns, joins; nothing on a snapshot), the game-over numbers (rank, time alive, length),
// and how an invite is handed over (share sheet, clipboard, or the link shown).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SnapshotMessage, type TickMessage, WorldMirror } from '@snakepit/shared';
import { inviteLink, shareWay } from '../src/net/invite.ts';
import { EventTracker } from '../src/render/events.ts';
import { LifeTracker, duration, ordinal } from '../src/ui/game-over.ts';

const BOARD = { width: 10, height: 8, walls: 'solid' as const };
const cell = (x: number, y: number) => y * BOARD.width + x;
const player = (id: number, name: string, score = 0) => ({ id, name, score, best: score, alive: true, away: false, ack: 0 });

function snapshot(): SnapshotMessage {
  return {
    type: 'snapshot',
    tick: 10,
    board: BOARD,
    players: [player(1, 'ann'), player(2, 'bob')],
    snakes: [
      { id: 1, body: [cell(3, 3), cell(2, 3), cell(1, 3)] },
      { id: 2, body: [cell(3, 6), cell(2, 6), cell(1, 6)] },
    ],
    food: [[cell(4, 3), 7]],
    stones: [],
    top: [],
  };
}

describe('tick events', () => {
  test('a snapshot is no event; the next tick tells who ate what, who died, who came and who spawned', () => {
    const world = new WorldMirror();
    const events = new EventTracker();
    world.applySnapshot(snapshot());
    assert.deepEqual(events.update(world), { eats: [], deaths: [], spawns: [], joins: [] });
    const tick: TickMessage = {
      type: 'tick',
      tick: 11,
      moves: [[1, 1, 0]], // ann moves right onto the 7, and grows (no trim)
      deaths: [{ id: 2, cause: 'wall', by: null }],
      joins: [{ id: 3, name: 'cat' }],
      spawns: [{ id: 3, body: [cell(7, 1), cell(8, 1), cell(9, 1)] }],
    };
    world.applyTick(tick);
    const e = events.update(world);
    assert.deepEqual(e.eats, [{ id: 1, cell: cell(4, 3), value: 7 }]);
    assert.deepEqual(e.deaths, [{ id: 2, body: [cell(3, 6), cell(2, 6), cell(1, 6)] }]);
    assert.deepEqual(e.spawns, [3]);
    assert.deepEqual(e.joins, [3]);
    // A quiet tick after it: nothing.
    world.applyTick({ type: 'tick', tick: 12, moves: [[1, 1, 1]] });
    assert.deepEqual(events.update(world), { eats: [], deaths: [], spawns: [], joins: [] });
  });

  test('after clear() (a new connection) the first world is a fresh start, not a burst of spawns', () => {
    const world = new WorldMirror();
    const events = new EventTracker();
    world.applySnapshot(snapshot());
    events.update(world);
    events.clear();
    world.applyTick({ type: 'tick', tick: 11, moves: [[1, 1, 0]] });
    assert.deepEqual(events.update(world), { eats: [], deaths: [], spawns: [], joins: [] });
  });
});

describe('game over', () => {
  test('the life: length at death, time alive from the tick it appeared, rank by score', () => {
    const life = new LifeTracker();
    life.track(0, 5);
    life.track(3, 10); // appears at tick 10
    life.track(9, 40);
    life.track(0, 70); // gone
    const me = player(1, 'ann', 12);
    const s = life.summary(me, [player(2, 'bob', 30), me, player(3, 'cat', 4)], 70, 100);
    assert.deepEqual(s, { score: 12, best: 12, length: 9, rank: 2, players: 3, seconds: 6 });
  });

  test('ordinals and durations read as words do', () => {
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal), [
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
    ]);
    assert.equal(duration(42.4), '42 s');
    assert.equal(duration(185), '3 min 05 s');
  });
});

describe('invite', () => {
  test('the link leaves out the developer switches and keeps the room and its settings', () => {
    const link = inviteLink('http://192.168.1.5:3000/?room=den&size=l&debug=1&lag=150&jitter=30&predict=0');
    assert.equal(link, 'http://192.168.1.5:3000/?room=den&size=l');
  });

  test('a phone shares, a desktop copies, and without a clipboard the link is shown', () => {
    assert.equal(shareWay({ share: true, clipboard: true, touch: true }), 'share');
    assert.equal(shareWay({ share: true, clipboard: true, touch: false }), 'clipboard');
    assert.equal(shareWay({ share: false, clipboard: false, touch: true }), 'show');
    assert.equal(shareWay({ share: false, clipboard: false, touch: false }), 'show');
  });
});
