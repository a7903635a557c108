// A room by hand: fake peers, tick() called directly, no clock and no sockets. The registry's
// loops run on a fake clock.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Board,
  DEFAULT_RULES,
  type GameEvent,
  MAX_QUEUED_TURNS,
  WorldMirror,
  acknowledged,
  binaryCodec,
  jsonCodec,
  step,
} from '@snakepit/shared';
import { MAX_TURNS_PER_TICK, Room, type RoomOptions } from '../src/rooms/room.ts';
import { RoomRegistry } from '../src/rooms/registry.ts';
import { testConfig } from '../src/config.ts';
import { unframe } from '../src/transport.ts';
import { FakeClock } from './fake-clock.ts';
import { FakePeer } from './fake-peer.ts';

const quiet = { info() {}, warn() {}, error() {} };

function makeRoom(overrides: Partial<RoomOptions> = {}): Room {
  return new Room({ id: 'r', rules: DEFAULT_RULES, tickRate: 10, seed: 1, log: quiet, ...overrides });
}

test('a new member gets welcome then a snapshot; nothing ticks until start()', () => {
  const room = makeRoom();
  const peer = new FakePeer();
  room.add(peer);
  assert.deepEqual(
    peer.messages().map((m) => m.type),
    ['welcome', 'snapshot'],
  );
  assert.equal(room.running, false);
});

test('each tick is encoded once per wire format: every member of a format gets the very same bytes', () => {
  const room = makeRoom();
  const json = [new FakePeer(), new FakePeer()];
  const binary = [new FakePeer(), new FakePeer()];
  for (const p of json) room.add(p, jsonCodec);
  for (const p of binary) room.add(p, binaryCodec);
  room.receive(json[0]!, { type: 'join', name: 'ann' });
  room.tick();
  room.tick();
  const lastJson = json.map((p) => p.sent.at(-1)!);
  const lastBinary = binary.map((p) => p.sent.at(-1)!);
  assert.equal(lastJson[0], lastJson[1], 'the same Buffer object for every JSON member');
  assert.equal(lastBinary[0], lastBinary[1], 'the same Buffer object for every binary member');
  const fromJson = jsonCodec.decodeServer(unframe(lastJson[0]!).payload.toString());
  const fromBinary = binaryCodec.decodeServer(new Uint8Array(unframe(lastBinary[0]!).payload));
  assert.equal(fromJson.type, 'tick');
  assert.deepEqual(fromBinary, fromJson, 'both formats carry the same message');
  assert.ok(lastBinary[0]!.length < lastJson[0]!.length);
});

test('a slow reader is skipped, catches up with a snapshot, and is dropped if it stays behind', () => {
  const room = makeRoom({ maxBufferedBytes: 1000, maxSkippedTicks: 3 });
  const fast = new FakePeer();
  const slow = new FakePeer();
  room.add(fast);
  room.add(slow);
  room.receive(fast, { type: 'join', name: 'fast' });
  room.tick();
  const mirror = new WorldMirror();
  for (const m of slow.messages()) {
    if (m.type === 'snapshot') mirror.applySnapshot(m);
    if (m.type === 'tick') mirror.applyTick(m);
  }

  slow.bufferedAmount = 5000;
  const before = slow.sent.length;
  room.tick();
  room.tick();
  assert.equal(slow.sent.length, before, 'nothing sent while over the cap');
  assert.equal(room.stats.sendsSkipped, 2);
  assert.equal(fast.messages().filter((m) => m.type === 'tick').length, 3, 'the room kept ticking for others');

  slow.bufferedAmount = 0;
  room.tick();
  const caughtUp = slow.messages().at(-1)!;
  assert.equal(caughtUp.type, 'snapshot');
  assert.equal(caughtUp.tick, room.state.tick);
  room.tick();
  const next = slow.messages().at(-1)!;
  assert.equal(next.type, 'tick', 'back to deltas after the snapshot');

  slow.bufferedAmount = 5000;
  for (let i = 0; i < 4; i++) room.tick();
  assert.deepEqual(slow.closedWith, { code: 1008, reason: 'connection too slow to keep up' });
  assert.equal(room.stats.slowDropped, 1);
  assert.equal(fast.closedWith, null);
});

test('join and leave within one tick leave no ghost player', () => {
  const room = makeRoom();
  const a = new FakePeer();
  const b = new FakePeer();
  room.add(a);
  room.add(b);
  room.receive(a, { type: 'join', name: 'ghost' });
  room.remove(a);
  room.tick();
  assert.equal(room.state.players.length, 0);
  assert.deepEqual(room.info(), {
    id: 'r',
    players: 0,
    humans: 0,
    bots: 0,
    capacity: DEFAULT_RULES.maxPlayers,
    spectators: 1,
    tick: 1,
    settings: {
      width: DEFAULT_RULES.width,
      height: DEFAULT_RULES.height,
      walls: 'solid',
      tickRate: 10,
      stones: DEFAULT_RULES.stones,
      bots: 0,
    },
  });
});

test('joining twice, turning before joining and a bad name are refused with reasons', () => {
  const room = makeRoom();
  const p = new FakePeer();
  room.add(p);
  room.receive(p, { type: 'turn', dir: 'up', seq: 1 });
  room.receive(p, { type: 'join', name: '   ' });
  room.receive(p, { type: 'join', name: 'ann' });
  room.receive(p, { type: 'join', name: 'ann' });
  const errors = p.messages().flatMap((m) => (m.type === 'error' ? [m.code] : []));
  assert.deepEqual(errors, ['not-playing', 'bad-name', 'already-playing']);
});

test('a flood of turns: at most 2 wait, one applies a tick, and every press is acknowledged', () => {
  const seen: number[] = [];
  const room = makeRoom({
    step: (state, inputs) => {
      seen.push(inputs?.turns?.length ?? 0);
      return step(state, inputs);
    },
  });
  const p = new FakePeer();
  room.add(p);
  room.receive(p, { type: 'join', name: 'ann' });
  room.tick();
  for (let i = 1; i <= 500; i++) room.receive(p, { type: 'turn', dir: i % 2 ? 'up' : 'left', seq: i });
  room.tick();
  assert.deepEqual(seen, [0, MAX_TURNS_PER_TICK], 'a bounded number of presses reaches the rules');
  const ann = room.state.players[0]!;
  assert.ok(ann.turns.length <= MAX_QUEUED_TURNS, `${ann.turns.length} turns wait`);
  assert.equal(ann.seq, 500, 'the last press stood in for the ones past the cap');
  // The rules take one waiting turn a tick (or drop the ones that would not turn).
  for (let i = 0; i < MAX_QUEUED_TURNS; i++) room.tick();
  assert.equal(acknowledged(room.state.players[0]!), 500, 'every press acknowledged once the queue drained');
  const acks = p.messages().flatMap((m) => (m.type === 'tick' && m.acks ? m.acks : []));
  assert.deepEqual(acks.at(-1), [ann.id, 500], 'and the ticks said so');
});

test('a room whose tick throws closes itself alone: members told, loop stopped, registry cleared', () => {
  const failing: typeof step = () => {
    throw new Error('boom');
  };
  const logged: { obj: { room?: string }; msg: string }[] = [];
  const clock = new FakeClock();
  const registry = new RoomRegistry({
    config: testConfig({ tickRate: 50 }),
    log: { ...quiet, error: (obj: object, msg: string) => logged.push({ obj, msg }) },
    step: (id) => (id === 'doomed' ? failing : undefined),
    clock,
  });
  const doomed = new FakePeer();
  const fine = new FakePeer();
  const doomedRoom = registry.join('doomed', doomed);
  const fineRoom = registry.join('fine', fine);
  assert.ok(doomedRoom.ok && fineRoom.ok);
  const fineTicks = () => fine.messages().filter((m) => m.type === 'tick').length;
  clock.advance(40); // two intervals at 50 ticks a second: every room has had its turn
  assert.deepEqual(doomed.closedWith, { code: 1011, reason: 'room error' });
  assert.ok(doomed.messages().some((m) => m.type === 'error' && m.code === 'room-error'));
  assert.equal(doomedRoom.room.running, false);
  assert.equal(registry.get('doomed'), undefined);
  assert.equal(logged.length, 1);
  assert.equal(logged[0]!.obj.room, 'doomed', 'the error is logged with the room id');
  const ticksThen = fineTicks();
  clock.advance(60);
  assert.equal(fineTicks(), ticksThen + 3, 'the other room ticked on, every 20 ms');
  assert.equal(fineRoom.room.running, true);
  registry.leave(fineRoom.room, fine);
  assert.equal(registry.size, 0);
  assert.equal(fineRoom.room.running, false);
  assert.equal(clock.pending, 0, 'no timer left');
});

test('the registry starts a loop on the first join, once, and stops it on the last leave', () => {
  const registry = new RoomRegistry({ config: testConfig(), log: quiet });
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const base = timers();
  const a = new FakePeer();
  const b = new FakePeer();
  const ra = registry.join('x', a);
  const rb = registry.join('x', b);
  assert.ok(ra.ok && rb.ok && ra.room === rb.room);
  ra.room.start();
  assert.equal(timers(), base + 1, 'one timer for the room, however often start() is called');
  registry.leave(ra.room, a);
  assert.equal(ra.room.running, true);
  registry.leave(ra.room, b);
  assert.equal(ra.room.running, false);
  assert.equal(registry.size, 0);
  assert.equal(timers(), base);
});

test('MAX_ROOMS is enforced with a reason, and shutdown refuses new joins', () => {
  const registry = new RoomRegistry({ config: testConfig({ maxRooms: 1 }), log: quiet });
  const a = new FakePeer();
  assert.equal(registry.join('one', a).ok, true);
  const refused = registry.join('two', new FakePeer());
  assert.equal(refused.ok, false);
  assert.match((refused as { reason: string }).reason, /1 rooms/);
  assert.equal(registry.join('one', new FakePeer()).ok, true, 'an existing room still takes members');
  registry.closeAll(1001, 'bye');
  assert.deepEqual(a.closedWith, { code: 1001, reason: 'bye' });
  assert.equal(registry.size, 0);
  assert.equal(registry.join('one', new FakePeer()).ok, false);
});

test('top-score changes reach everyone within a second, not on every bite', () => {
  // A tiny board crowded with food: the snake eats often.
  const earlier = [
    { name: 'old-a', score: 900 },
    { name: 'old-b', score: 800 },
  ];
  const room = makeRoom({ rules: { ...DEFAULT_RULES, width: 10, height: 10, foodBase: 40 }, tickRate: 10, top: earlier });
  const p = new FakePeer();
  room.add(p);
  room.receive(p, { type: 'join', name: 'ann' });
  const changes: number[] = [];
  const sent: number[] = [];
  let last = '';
  for (let i = 0; i < 60; i++) {
    room.tick();
    const now = JSON.stringify(room.topScores.table);
    if (now !== last) changes.push(room.state.tick);
    last = now;
    const msg = p.messages().at(-1)!;
    if (msg.type === 'tick' && msg.top) sent.push(msg.tick);
    if (!room.state.players[0]?.snake) room.receive(p, { type: 'respawn' });
  }
  assert.ok(changes.length > sent.length, `table changed ${changes.length} times, sent ${sent.length} times`);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 1]! >= 10, 'at most once per 10 ticks (1 s)');
  // Every change is sent eventually: the last table sent is the table now, or goes out within 10 ticks.
  for (const c of changes) assert.ok(sent.some((s) => s >= c && s - c <= 10) || room.state.tick - c < 10, `change at ${c} went out`);

  // Only changed lines travel, and a client applying them holds the room's table: a watcher
  // that came in mid-game, after the player leaves and the last change has gone out.
  const updates = p.messages().flatMap((m) => (m.type === 'tick' && m.top ? [m.top] : []));
  assert.ok(updates.length > 0);
  for (const lines of updates)
    assert.deepEqual(
      lines.map((l) => l.name),
      ['ann'],
      'the earlier lines are not sent again',
    );
  const watcher = new FakePeer();
  room.add(watcher);
  room.remove(p);
  for (let i = 0; i < 12; i++) room.tick();
  const mirror = new WorldMirror();
  for (const m of watcher.messages()) {
    if (m.type === 'snapshot') mirror.applySnapshot(m);
    else if (m.type === 'tick') mirror.applyTick(m);
  }
  assert.ok(room.topScores.table.length > 0);
  assert.deepEqual(mirror.top, room.topScores.table);
});

// ---- rooms with their own settings ------------------------------------------------------------

test("a new room takes its creator's choices; a later join with other choices finds it unchanged", () => {
  const clock = new FakeClock();
  const registry = new RoomRegistry({ config: testConfig({ tickRate: 10 }), log: quiet, clock });
  const a = new FakePeer();
  const made = registry.join('custom', a, jsonCodec, { size: 's', walls: 'wrap', speed: 15, stones: 'some' });
  assert.ok(made.ok);
  const expected = { width: 40, height: 27, walls: 'wrap', tickRate: 15, stones: Math.floor((40 * 27) / 80), bots: 0 };
  assert.deepEqual(made.room.settings, expected);
  assert.equal(made.room.state.stones.length, expected.stones);
  const welcome = a.messages()[0]!;
  assert.ok(welcome.type === 'welcome');
  assert.deepEqual(welcome.board, { width: 40, height: 27, walls: 'wrap' });
  assert.equal(welcome.tickRate, 15);
  assert.equal(welcome.stones, expected.stones);

  const b = new FakePeer();
  const again = registry.join('custom', b, jsonCodec, { size: 'l', walls: 'solid', speed: 5 });
  assert.ok(again.ok && again.room === made.room);
  assert.deepEqual(again.room.settings, expected);
  assert.deepEqual(registry.list()[0]!.settings, expected);

  // The loop runs at the room's own rate: 15 ticks in a second, not the server's 10.
  const ticks = () => a.messages().filter((m) => m.type === 'tick').length;
  clock.advance(2010); // off the 66.7 ms grid, so the window below holds whole intervals
  const before = ticks();
  clock.advance(1000);
  assert.equal(ticks() - before, 15);

  // No choice: the server's defaults.
  const plain = registry.join('plain', new FakePeer());
  assert.ok(plain.ok);
  assert.deepEqual(plain.room.settings, { width: 60, height: 40, walls: 'solid', tickRate: 10, stones: 0, bots: 0 });
  registry.closeAll(1001, 'bye');
  assert.equal(clock.pending, 0);
});

test('a server default that cannot make a game refuses the connection with a reason, and nothing breaks', () => {
  const logged: string[] = [];
  // 1,000 stones on a 60x40 board (at most 240): the configuration check should have refused it.
  const registry = new RoomRegistry({
    config: testConfig({ stones: 1000 }),
    log: { ...quiet, error: (_o: object, msg: string) => logged.push(msg) },
  });
  const peer = new FakePeer();
  const refused = registry.join('x', peer);
  assert.equal(refused.ok, false);
  assert.ok(!refused.ok && refused.code === 'room-error');
  assert.match((refused as { reason: string }).reason, /room "x" could not be created: 1000 stones do not fit a 60x40 board/);
  assert.equal(registry.size, 0);
  assert.deepEqual(logged, ['could not create a room']);
  assert.equal(peer.sent.length, 0);
  // A chosen size computes stones that fit, so the same server can still make rooms.
  const chosen = registry.join('y', peer, jsonCodec, { size: 'm' });
  assert.ok(chosen.ok);
  registry.closeAll(1001, 'bye');
});

/** Ticks `room` until its only player's head has moved `n` times, returning the heads and events. */
function drive(room: Room, n: number): { heads: number[]; events: GameEvent['type'][] } {
  const heads: number[] = [];
  const events: GameEvent['type'][] = [];
  for (let i = 0; i < n; i++) {
    const before = room.state;
    room.tick();
    const snake = room.state.players[0]?.snake;
    if (!snake) {
      events.push('died');
      break;
    }
    if (before.players[0]?.snake) heads.push(snake.body[0]!);
  }
  return { heads, events };
}

test('on a wrapping board a snake runs off one edge and comes in at the other, alive', () => {
  for (const walls of ['wrap', 'solid'] as const) {
    const rules = { ...DEFAULT_RULES, width: 12, height: 10, walls, foodBase: 0, foodPerSnake: 0, stones: 0 };
    const room = makeRoom({ rules, seed: 7 });
    const p = new FakePeer();
    room.add(p);
    room.receive(p, { type: 'join', name: 'ann' });
    room.tick();
    const board = Board.of(rules);
    const start = room.state.players[0]!.snake!;
    // Straight on for longer than the board is wide or tall: it must meet an edge.
    const { heads, events } = drive(room, 15);
    if (walls === 'solid') {
      assert.deepEqual(events, ['died'], 'a solid edge kills');
      continue;
    }
    assert.deepEqual(events, [], 'never died');
    const path = [start.body[0]!, ...heads];
    const jumps = path.slice(1).filter((cell, i) => {
      const prev = path[i]!;
      return Math.abs(board.x(cell) - board.x(prev)) > 1 || Math.abs(board.y(cell) - board.y(prev)) > 1;
    });
    assert.ok(jumps.length >= 1, `crossed an edge: ${path.map((c) => `${board.x(c)},${board.y(c)}`).join(' ')}`);
    for (let i = 1; i < path.length; i++) assert.equal(board.distance(path[i - 1]!, path[i]!), 1, 'one cell a tick, across the edge too');
    // What the client mirrors agrees with the room.
    const mirror = new WorldMirror();
    for (const m of p.messages()) {
      if (m.type === 'snapshot') mirror.applySnapshot(m);
      else if (m.type === 'tick') mirror.applyTick(m);
    }
    assert.deepEqual([...mirror.snakes.values()][0]!.body, [...room.state.players[0]!.snake!.body]);
  }
});

// ---- holding a dropped player for a resume -----------------------------------------------------

/** The welcome's resume token of a fake peer's connection. */
function tokenOf(peer: FakePeer): string {
  const welcome = peer.messages().find((m) => m.type === 'welcome');
  assert.ok(welcome?.type === 'welcome');
  return welcome.token;
}

/** A room with one player (on a small board crowded with food, so it soon scores) and a watcher. */
function heldRoom(resumeGraceS = 0.5) {
  const room = makeRoom({ rules: { ...DEFAULT_RULES, width: 12, height: 12, foodBase: 60 }, tickRate: 10, seed: 3, resumeGraceS });
  const ann = new FakePeer();
  const watcher = new FakePeer();
  room.add(ann);
  room.add(watcher);
  room.receive(ann, { type: 'join', name: 'ann' });
  room.tick();
  const id = room.state.players[0]!.id;
  for (let i = 0; i < 30 && room.state.players[0]!.score === 0 && room.state.players[0]!.snake; i++) room.tick();
  return { room, ann, watcher, id };
}

const ticksOf = (peer: FakePeer) => peer.messages().flatMap((m) => (m.type === 'tick' ? [m] : []));

test('a dropped player is held, away and still, for the grace in ticks, then leaves as a leaver does', () => {
  const { room, ann, watcher, id } = heldRoom(0.5); // 5 ticks at 10 a second
  const body = room.state.players[0]!.snake?.body;
  room.remove(ann);
  assert.deepEqual(room.info().players, 1, 'a held player keeps its place');
  assert.equal(room.holding, 1);
  const dropped = room.state.tick;
  for (let i = 0; i < 5; i++) {
    room.tick();
    assert.equal(room.state.players[0]?.away, true, `away at tick ${room.state.tick}`);
    assert.deepEqual(room.state.players[0]!.snake?.body, body, 'the snake holds still');
  }
  room.tick();
  assert.equal(room.state.players.length, 0, 'gone after the grace');
  assert.equal(room.holding, 0);
  const seen = ticksOf(watcher).filter((m) => m.tick > dropped);
  assert.deepEqual(seen[0]!.away, [[id, 1]], 'the others see it go away at the next tick');
  assert.deepEqual(seen.at(-1)!.leaves, [id], 'and leave once the grace is over');
  assert.equal(seen.at(-1)!.tick, dropped + 6);
});

test('resume: the token takes the same player back (id, snake, score, best); it is single use and a new one comes with the welcome', () => {
  const { room, ann, watcher, id } = heldRoom();
  const token = tokenOf(ann);
  const before = room.state.players[0]!;
  assert.ok(before.score > 0, 'scored before the drop');
  room.remove(ann);
  room.tick();
  const back = new FakePeer();
  room.add(back, jsonCodec, token);
  const got = back.messages();
  assert.deepEqual(
    got.map((m) => m.type),
    ['welcome', 'snapshot', 'joined'],
  );
  assert.ok(got[0]!.type === 'welcome' && got[0]!.token !== token, 'a new token');
  assert.ok(got[2]!.type === 'joined' && got[2]!.id === id, 'the same id');
  // What it is given back: the held player as it was, score, best and snake.
  const snap = got[1]!;
  assert.ok(snap.type === 'snapshot');
  assert.deepEqual(snap.players, [
    { id, name: 'ann', score: before.score, best: before.best, alive: before.snake !== null, away: true, ack: 0 },
  ]);
  assert.deepEqual(snap.snakes, before.snake ? [{ id, body: [...before.snake.body] }] : []);
  room.tick();
  assert.equal(room.state.players[0]!.away, false);
  assert.deepEqual(ticksOf(watcher).at(-1)!.away, [[id, 0]], 'the others see it back');
  assert.equal(room.info().spectators, 1);

  // Used once: the same token again names nothing. The new connection's own token works.
  const again = new FakePeer();
  room.add(again, jsonCodec, token);
  assert.deepEqual(
    again.messages().map((m) => m.type),
    ['welcome', 'snapshot', 'error'],
  );
  const refused = again.messages()[2]!;
  assert.ok(refused.type === 'error' && refused.code === 'bad-token');
  assert.match(refused.message, /could not be resumed \(expired or unknown\): join again/);

  // A page that reconnects before the server saw its old socket drop takes the player over; the
  // old socket is closed.
  room.receive(back, { type: 'turn', dir: 'up', seq: 3 });
  const third = new FakePeer();
  room.add(third, binaryCodec, tokenOf(back));
  assert.equal(third.messages().at(-1)?.type, 'joined');
  assert.deepEqual(back.closedWith, { code: 1008, reason: 'your game was resumed on another connection' });
  room.remove(back);
  room.tick();
  assert.equal(room.state.players[0]?.away, false, 'the old socket closing does not make the player away');
  assert.equal(room.state.players[0]!.seq, 3, 'the turn the old socket sent still counted');
  room.receive(third, { type: 'turn', dir: 'up', seq: 2 });
  assert.equal(third.messages().at(-1)?.type, 'error', "seqs continue from the player's last");
});

test("a token expires with its player, and a spectator's or a leaver's token resumes nothing", () => {
  const { room, ann, id } = heldRoom(0.2);
  const token = tokenOf(ann);
  room.remove(ann);
  for (let i = 0; i < 3; i++) room.tick();
  assert.equal(
    room.state.players.some((p) => p.id === id),
    false,
  );
  const late = new FakePeer();
  room.add(late, jsonCodec, token);
  assert.equal(late.messages().at(-1)?.type, 'error');

  const watcherToken = tokenOf(late);
  room.remove(late);
  const w = new FakePeer();
  room.add(w, jsonCodec, watcherToken);
  assert.equal(w.messages().at(-1)?.type, 'error');

  // `leave` on purpose: the snake goes at the next tick, the socket stays, watching.
  room.receive(w, { type: 'join', name: 'bob' });
  room.tick();
  const bob = room.state.players[0]!.id;
  room.receive(w, { type: 'leave' });
  room.tick();
  assert.deepEqual(ticksOf(w).at(-1)!.leaves, [bob]);
  assert.deepEqual(room.info(), { ...room.info(), players: 0, spectators: 2 });
  room.receive(w, { type: 'leave' });
  assert.ok(w.messages().at(-1)?.type === 'error');
  const wToken = tokenOf(w);
  room.remove(w);
  const x = new FakePeer();
  room.add(x, jsonCodec, wToken);
  assert.equal(x.messages().at(-1)?.type, 'error', 'a leaver is not held');
  assert.equal(room.holding, 0);
});

test('with no grace a drop is a leave; a player dropped before its join reached the rules is not held', () => {
  const room = makeRoom({ resumeGraceS: 0 });
  const a = new FakePeer();
  room.add(a);
  room.receive(a, { type: 'join', name: 'ann' });
  room.tick();
  room.remove(a);
  assert.equal(room.holding, 0);
  assert.equal(room.idle, true);
  room.tick();
  assert.equal(room.state.players.length, 0);

  const held = makeRoom({ resumeGraceS: 10 });
  const b = new FakePeer();
  held.add(b);
  held.receive(b, { type: 'join', name: 'bob' });
  held.remove(b);
  assert.equal(held.holding, 0);
  held.tick();
  assert.equal(held.state.players.length, 0, 'no ghost player');
});

test('turn seqs must rise; ping gets a pong for the sender alone, in its format', () => {
  const room = makeRoom();
  const p = new FakePeer();
  const other = new FakePeer();
  room.add(p, binaryCodec);
  room.add(other);
  room.receive(p, { type: 'join', name: 'ann' });
  room.tick();
  room.receive(p, { type: 'turn', dir: 'up', seq: 5 });
  for (const seq of [5, 3]) {
    room.receive(p, { type: 'turn', dir: 'left', seq });
    const refused = p.messages().at(-1)!;
    assert.ok(refused.type === 'error' && refused.code === 'bad-message');
    assert.match(refused.message, /seq must increase/);
  }
  room.tick();
  assert.equal(room.state.players[0]!.seq, 5, 'the refused turns never reached the rules');

  const sentBefore = other.sent.length;
  room.receive(p, { type: 'ping', id: 77 });
  assert.equal(unframe(p.sent.at(-1)!).binary, true, 'in the binary format the member asked for');
  assert.deepEqual(p.messages().at(-1), { type: 'pong', tick: room.state.tick, id: 77 });
  assert.equal(other.sent.length, sentBefore, 'nobody else gets it');
});

test('a room whose only player dropped ticks on through the grace, then is deleted with no timer left', () => {
  const clock = new FakeClock();
  const registry = new RoomRegistry({ config: testConfig({ tickRate: 10, resumeGraceS: 1 }), log: quiet, clock });
  const a = new FakePeer();
  const joined = registry.join('solo', a);
  assert.ok(joined.ok);
  const room = joined.room;
  room.receive(a, { type: 'join', name: 'ann' });
  clock.advance(200);
  registry.leave(room, a);
  assert.equal(registry.get('solo'), room, 'kept while its player is held');
  assert.equal(room.running, true);
  // A resume within the grace finds the room and the player.
  const b = new FakePeer();
  assert.ok(registry.join('solo', b, jsonCodec, {}, tokenOf(a)).ok);
  assert.equal(b.messages().at(-1)?.type, 'joined');
  registry.leave(room, b);
  clock.advance(900);
  assert.equal(registry.get('solo'), room, 'not yet: 10 ticks of grace');
  clock.advance(200);
  assert.equal(registry.size, 0, 'deleted once the grace is over');
  assert.equal(room.running, false);
  assert.equal(clock.pending, 0, 'no timer left');
});

test('checkpoint slices: every room falls in exactly one slice, the same one each time', (t) => {
  const registry = new RoomRegistry({ config: testConfig(), log: quiet });
  const peers = Array.from({ length: 12 }, () => new FakePeer());
  peers.forEach((p, i) => {
    assert.equal(registry.join(`r${i}`, p).ok, true);
  });
  t.after(() => registry.closeAll(1001, 'test over'));
  const slice = (part: number) => registry.checkpoints(part, 5).map((c) => c.room);
  const slices = [0, 1, 2, 3, 4].map(slice);
  assert.deepEqual(
    slices.flat().sort((a, b) => a.localeCompare(b)),
    registry
      .checkpoints()
      .map((c) => c.room)
      .sort((a, b) => a.localeCompare(b)),
  );
  assert.ok(
    slices.every((s) => s.length >= 2 && s.length <= 3),
    `slices of ${slices.map((s) => s.length)}`,
  );
  assert.deepEqual([0, 1, 2, 3, 4].map(slice), slices, 'the same rooms in the same slices next time');
});
