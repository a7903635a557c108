// IDLE_SEAT_S: a dead player who does not play again within it watches instead, and the seat is
// free for someone else (the room-full case). Counted in the room's own ticks, so the test
// runs the registry's loop on a fake clock.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerMessage } from '@snakepit/shared';
import { testConfig } from '../src/config.ts';
import { RoomRegistry } from '../src/rooms/registry.ts';
import type { Room } from '../src/rooms/room.ts';
import { FakeClock } from './fake-clock.ts';
import { FakePeer } from './fake-peer.ts';

const quiet = { info() {}, warn() {}, error() {} };
const TICK_MS = 100;

/** A registry at 10 ticks a second with a 2 s idle seat, and `ann` playing in room "r". */
function setup(overrides = {}) {
  const clock = new FakeClock();
  const registry = new RoomRegistry({ config: testConfig({ tickRate: 10, idleSeatS: 2, ...overrides }), log: quiet, clock });
  const ann = new FakePeer();
  const joined = registry.join('r', ann);
  assert.ok(joined.ok);
  joined.room.receive(ann, { type: 'join', name: 'ann' });
  return { clock, registry, room: joined.room, ann };
}

/** Ticks until ann's snake (which never turns) has run into a wall; returns the tick it died. */
function untilDead(clock: FakeClock, room: Room): number {
  for (let i = 0; i < 200; i++) {
    clock.advance(TICK_MS);
    const p = room.state.players.find((q) => q.name === 'ann');
    if (p && !p.snake && room.state.tick > 2) return room.state.tick;
  }
  throw new Error('ann never died');
}

const seatFreed = (m: ServerMessage) => m.type === 'error' && m.code === 'seat-freed';

test('dead for IDLE_SEAT_S without playing again: the player watches, the seat is free', () => {
  const { clock, registry, room, ann } = setup();
  const diedAt = untilDead(clock, room);
  clock.advance(19 * TICK_MS);
  assert.equal(room.state.tick, diedAt + 19);
  assert.equal(room.state.players.length, 1, 'still seated one tick before the 2 s are up');
  assert.ok(!ann.messages().some(seatFreed));
  clock.advance(TICK_MS);
  assert.ok(ann.messages().some(seatFreed), 'told why');
  clock.advance(TICK_MS);
  assert.equal(room.state.players.length, 0, 'the seat is free');
  assert.equal(room.info().humans, 0);
  assert.equal(room.info().spectators, 1, 'ann watches');
  // Joining again works like any join.
  room.receive(ann, { type: 'join', name: 'ann' });
  assert.equal(ann.last().type, 'joined');
  registry.closeAll(1001, 'test over');
});

test('playing again within IDLE_SEAT_S keeps the seat', () => {
  const { clock, registry, room, ann } = setup();
  untilDead(clock, room);
  clock.advance(15 * TICK_MS);
  room.receive(ann, { type: 'respawn' });
  clock.advance(30 * TICK_MS);
  assert.ok(!ann.messages().some(seatFreed));
  assert.equal(room.state.players.length, 1);
  registry.closeAll(1001, 'test over');
});

test('a freed seat lets a spectator of a full room in', () => {
  const { clock, registry, room, ann } = setup({ maxPlayersPerRoom: 1 });
  const bob = new FakePeer();
  assert.ok(registry.join('r', bob).ok);
  room.receive(bob, { type: 'join', name: 'bob' });
  const refused = bob.last();
  assert.ok(refused.type === 'error' && refused.code === 'room-full');
  assert.equal(room.info().humans, room.info().capacity, 'the room list says full');
  untilDead(clock, room);
  clock.advance(21 * TICK_MS);
  assert.ok(ann.messages().some(seatFreed));
  assert.equal(room.info().humans, 0, 'a seat is free: the room list no longer says full');
  room.receive(bob, { type: 'join', name: 'bob' });
  assert.equal(bob.last().type, 'joined');
  registry.closeAll(1001, 'test over');
});

test('IDLE_SEAT_S=0 keeps a dead player seated however long they wait', () => {
  const { clock, registry, room, ann } = setup({ idleSeatS: 0 });
  untilDead(clock, room);
  clock.advance(600 * TICK_MS);
  assert.ok(!ann.messages().some(seatFreed));
  assert.equal(room.state.players.length, 1);
  registry.closeAll(1001, 'test over');
});
