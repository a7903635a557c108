// A restart's second half, without processes: rooms made again from their checkpoints wait, not
// ticking, until a player comes back with a token; a room nobody comes back to within the grace
// is dropped. Both clocks are fake: the rooms' loops run on FakeClock, the grace timer on
// node:test's mocked setTimeout. The processes-and-sockets version is checkpoint.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonCodec } from '@snakepit/shared';
import { testConfig } from '../src/config.ts';
import { RoomRegistry } from '../src/rooms/registry.ts';
import { FakeClock } from './fake-clock.ts';
import { FakePeer } from './fake-peer.ts';

const quiet = { info() {}, warn() {}, error() {} };

/** Its resume token: the one its last welcome gave it. */
function tokenOf(peer: FakePeer): string {
  const welcome = peer
    .messages()
    .filter((m) => m.type === 'welcome')
    .at(-1);
  assert.ok(welcome?.type === 'welcome', 'welcomed');
  return welcome.token;
}

test('restored rooms wait without ticking until their player is back; the rest go when the grace is up', (t) => {
  // The first process: ann plays in room "a", bob in room "b".
  const before = new FakeClock();
  const first = new RoomRegistry({ config: testConfig({ tickRate: 10, resumeGraceS: 10 }), log: quiet, clock: before });
  const ann = new FakePeer();
  const bob = new FakePeer();
  for (const [room, peer, name] of [
    ['a', ann, 'ann'],
    ['b', bob, 'bob'],
  ] as const) {
    const joined = first.join(room, peer);
    assert.ok(joined.ok);
    joined.room.receive(peer, { type: 'join', name });
  }
  before.advance(1000);
  const saved = first.checkpoints();
  assert.equal(saved.length, 2);
  const savedTick = new Map(saved.map((c) => [c.room, c.state.tick]));
  first.closeAll(1012, 'restarting', true);

  // The next process restores them. The grace timer is node's setTimeout: mocked here.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const clock = new FakeClock();
  const next = new RoomRegistry({ config: testConfig({ tickRate: 10, resumeGraceS: 10 }), log: quiet, clock });
  next.restore(saved, 5);
  assert.equal(next.size, 2, 'both rooms are back');
  const a = next.get('a')!;
  const b = next.get('b')!;
  assert.equal(a.running, false);
  assert.equal(b.running, false);
  assert.equal(clock.pending, 0, 'no loop is scheduled');
  clock.advance(3000);
  assert.equal(a.state.tick, savedTick.get('a'), 'room a did not tick while it waited');
  assert.equal(b.state.tick, savedTick.get('b'));
  assert.deepEqual(
    a.state.players.map((p) => [p.name, p.away]),
    [['ann', true]],
    'ann is held, away',
  );

  // ann comes back with her token: her room runs again, from where it was.
  const annAgain = new FakePeer();
  const back = next.join('a', annAgain, jsonCodec, {}, tokenOf(ann));
  assert.ok(back.ok);
  assert.equal(annAgain.messages().find((m) => m.type === 'joined')?.type, 'joined');
  assert.equal(a.running, true);
  clock.advance(300);
  assert.equal(a.state.tick, savedTick.get('a')! + 3, 'room a ticks again, from its saved tick');
  assert.equal(b.state.tick, savedTick.get('b'), 'room b still waits');

  // Nobody comes back to b: when the 5 s grace is up it is dropped; a, in play, stays.
  t.mock.timers.tick(4999);
  assert.ok(next.get('b'), 'b is kept until the grace is up');
  t.mock.timers.tick(1);
  assert.equal(next.get('b'), undefined, 'b is gone');
  assert.equal(next.get('a'), a, 'a is played, and stays');
  next.closeAll(1001, 'test over');
});
