// The server's bots in a room: they come while a person plays alone, give way as people come,
// never take the last seat, go with the last person, steer only through the turn queue, stay
// out of the scores, and are marked `bot` in both wire formats. Rooms are driven by hand
// (tick()) or by the registry on a fake clock: no sleeps, no sockets.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_RULES,
  MAX_QUEUED_TURNS,
  type RulesConfig,
  type SnapshotMessage,
  type TickInputs,
  type TickMessage,
  binaryCodec,
  jsonCodec,
  step,
} from '@snakepit/shared';
import { BOT_NAMES, botsWanted } from '../src/bots/crew.ts';
import { testConfig } from '../src/config.ts';
import { RoomRegistry } from '../src/rooms/registry.ts';
import { Room, type RoomOptions } from '../src/rooms/room.ts';
import { FakeClock } from './fake-clock.ts';
import { FakePeer } from './fake-peer.ts';

const quiet = { info() {}, warn() {}, error() {} };

/**
 * A room ticked by hand. Its clock stands still, so the bots' thinking budget (counted on the
 * room's clock) is never used up: what the bots do cannot depend on how busy the machine is.
 */
function makeRoom(overrides: Partial<RoomOptions> = {}): Room {
  return new Room({
    id: 'r',
    rules: DEFAULT_RULES,
    tickRate: 10,
    seed: 1,
    log: quiet,
    botsMinSnakes: 4,
    clock: new FakeClock(),
    ...overrides,
  });
}

/** A person in `room`: connected and joined. */
function person(room: Room, name: string, codec = jsonCodec): FakePeer {
  const peer = new FakePeer();
  room.add(peer, codec);
  room.receive(peer, { type: 'join', name });
  return peer;
}

const botIds = (room: Room) => room.state.players.filter((p) => p.bot).map((p) => p.id);
const people = (room: Room) => room.state.players.filter((p) => !p.bot).length;

test('botsWanted: none without a person here; up to the setting; never the last seat', () => {
  assert.equal(botsWanted({ present: 0, humans: 0, maxPlayers: 10, minSnakes: 4 }), 0);
  assert.equal(botsWanted({ present: 0, humans: 1, maxPlayers: 10, minSnakes: 4 }), 0, 'a dropped player alone gets no bots');
  assert.equal(botsWanted({ present: 1, humans: 1, maxPlayers: 10, minSnakes: 4 }), 3);
  assert.equal(botsWanted({ present: 3, humans: 4, maxPlayers: 10, minSnakes: 4 }), 0);
  assert.equal(botsWanted({ present: 1, humans: 1, maxPlayers: 10, minSnakes: 0 }), 0, '0 switches bots off');
  assert.equal(botsWanted({ present: 1, humans: 1, maxPlayers: 4, minSnakes: 8 }), 2, 'one seat stays free for a person');
  assert.equal(botsWanted({ present: 4, humans: 4, maxPlayers: 4, minSnakes: 8 }), 0);
});

test('a person alone gets bots up to BOTS_MIN_SNAKES; they leave as people arrive', () => {
  const room = makeRoom();
  person(room, 'ann');
  room.tick();
  assert.equal(botIds(room).length, 3, 'three bots join the first tick');
  assert.ok(room.state.players.filter((p) => p.bot).every((p) => (BOT_NAMES as readonly string[]).includes(p.name)));
  assert.deepEqual(
    (({ players, humans, bots, capacity }) => ({ players, humans, bots, capacity }))(room.info()),
    { players: 4, humans: 1, bots: 3, capacity: DEFAULT_RULES.maxPlayers },
    '/api/rooms counts them apart',
  );
  const firstBots = botIds(room);
  person(room, 'bob');
  room.tick();
  assert.equal(people(room), 2);
  assert.equal(botIds(room).length, 2, 'one bot gave its place to bob');
  assert.deepEqual(botIds(room), firstBots.slice(0, 2), 'the newest bot left first');
  person(room, 'cy');
  person(room, 'dee');
  room.tick();
  assert.equal(people(room), 4);
  assert.equal(botIds(room).length, 0, 'four people: no bots');
  assert.equal(room.state.players.length, 4);
});

test('bots never take the last free seat, and a person joining a full room takes a bot seat at once', () => {
  const rules: RulesConfig = { ...DEFAULT_RULES, maxPlayers: 4 };
  const room = makeRoom({ rules, botsMinSnakes: 8 });
  person(room, 'ann');
  room.tick();
  assert.equal(room.state.players.length, 3, 'ann and two bots: the fourth seat stays free');
  person(room, 'bob');
  room.tick();
  assert.equal(people(room), 2);
  assert.equal(botIds(room).length, 1, 'bob took the free seat, a bot made room for the next person');
  const cy = person(room, 'cy');
  assert.equal(cy.last().type, 'joined', 'a full room with a bot in it still seats a person');
  room.tick();
  assert.equal(people(room), 3);
  assert.equal(botIds(room).length, 0);
  person(room, 'dee');
  room.tick();
  assert.equal(people(room), 4);
  const eve = person(room, 'eve');
  const refused = eve.last();
  assert.ok(refused.type === 'error' && refused.code === 'room-full', 'four people and no bot: full');
  assert.equal(room.info().humans, room.info().capacity);
});

test('bots steer only through the turn queue: seqs rising, at most MAX_QUEUED_TURNS a tick, acknowledged like a person', () => {
  const seen: TickInputs[] = [];
  const spy: typeof step = (state, inputs = {}) => {
    seen.push(inputs);
    return step(state, inputs);
  };
  const room = makeRoom({ step: spy, botsMinSnakes: 10 });
  const ann = person(room, 'ann');
  for (let i = 0; i < 300; i++) room.tick();
  const bots = new Set(botIds(room));
  assert.equal(bots.size, 8, 'ten snakes wanted, one seat kept for a person');
  const lastSeq = new Map<number, number>();
  let botTurns = 0;
  for (const inputs of seen) {
    const perBot = new Map<number, number>();
    for (const t of inputs.turns ?? []) {
      if (!bots.has(t.id)) continue;
      botTurns++;
      perBot.set(t.id, (perBot.get(t.id) ?? 0) + 1);
      assert.ok(t.seq !== undefined && t.seq > (lastSeq.get(t.id) ?? 0), 'each bot turn carries a rising seq');
      lastSeq.set(t.id, t.seq!);
    }
    for (const n of perBot.values()) assert.ok(n <= MAX_QUEUED_TURNS, `${n} turns from one bot in one tick`);
  }
  assert.ok(botTurns > 50, `the bots turned (${botTurns} turns)`);
  // The rules say which of a bot's turns they took, as they do for a person's.
  const acks = new Map<number, number>();
  for (const m of ann.messages()) if (m.type === 'tick') for (const [id, ack] of m.acks ?? []) acks.set(id, ack);
  for (const id of bots) if (lastSeq.has(id)) assert.ok((acks.get(id) ?? 0) > 0, `bot ${id}'s turns were acknowledged`);
});

test('bots play again after dying, and their scores stay out of the top scores and the leaderboard', () => {
  const ended: string[] = [];
  const room = makeRoom({ botsMinSnakes: 10, onLifeEnded: (_r, name) => ended.push(name) });
  person(room, 'ann');
  let botDeaths = 0;
  const botSet = () => new Set(botIds(room));
  for (let i = 0; i < 1200; i++) {
    const before = room.state.players.filter((p) => p.bot && p.snake).length;
    room.tick();
    const after = room.state.players.filter((p) => p.bot && p.snake).length;
    if (after < before) botDeaths += before - after;
  }
  assert.ok(botDeaths > 0, 'some bot died in two minutes of play');
  assert.ok(room.state.players.filter((p) => p.bot && p.snake).length >= 5, 'and the bots came back');
  const names = new Set(room.state.players.filter((p) => p.bot).map((p) => p.name));
  assert.equal(botSet().size, 8);
  assert.ok(!ended.some((n) => names.has(n)), `no bot life recorded (${ended.join(', ')})`);
  assert.ok(!room.topScores.table.some((e) => names.has(e.name)), 'no bot in the top scores');
});

test('the bot flag travels in snapshots and joins, in both wire formats', () => {
  const room = makeRoom();
  const viaJson = person(room, 'ann', jsonCodec);
  const viaBinary = person(room, 'bob', binaryCodec);
  room.tick();
  for (const peer of [viaJson, viaBinary]) {
    const tick = peer.messages().find((m): m is TickMessage => m.type === 'tick' && m.joins !== undefined)!;
    assert.deepEqual(
      tick.joins!.map((j) => [j.name, j.bot ?? false]),
      [['ann', false], ['bob', false], ...tick.joins!.slice(2).map((j) => [j.name, true])],
    );
    assert.equal(tick.joins!.length, 4, 'two people, two bots');
  }
  const late = new FakePeer();
  const lateBinary = new FakePeer();
  room.add(late, jsonCodec);
  room.add(lateBinary, binaryCodec);
  for (const peer of [late, lateBinary]) {
    const snap = peer.messages().find((m): m is SnapshotMessage => m.type === 'snapshot')!;
    assert.deepEqual(
      snap.players.map((p) => p.bot === true),
      [false, false, true, true],
    );
    assert.ok(!('bot' in snap.players[0]!), 'a person has no bot field at all');
  }
});

test('a room with only bots is empty: the last person leaving stops the loop and frees the room', () => {
  const clock = new FakeClock();
  const registry = new RoomRegistry({ config: testConfig({ tickRate: 10, botsMinSnakes: 4, resumeGraceS: 0 }), log: quiet, clock });
  const ann = new FakePeer();
  const joined = registry.join('lively', ann);
  assert.ok(joined.ok);
  const room = joined.room;
  room.receive(ann, { type: 'join', name: 'ann' });
  clock.advance(500);
  assert.equal(room.bots, 3);
  registry.leave(room, ann);
  assert.equal(registry.size, 0, 'bots alone do not keep a room');
  assert.equal(room.running, false);
  assert.equal(clock.pending, 0, 'no timer left');
});

test('a person who stops playing (leave) and watches: the bots go too', () => {
  const room = makeRoom();
  const ann = person(room, 'ann');
  room.tick();
  assert.equal(botIds(room).length, 3);
  room.receive(ann, { type: 'leave' });
  room.tick();
  assert.equal(room.state.players.length, 0, 'a spectator alone has no bots');
  assert.equal(room.info().bots, 0);
});

test('BOTS_MIN_SNAKES=0 switches bots off; a room created with ?bots=4 has them anyway', () => {
  const clock = new FakeClock();
  const registry = new RoomRegistry({ config: testConfig({ tickRate: 10, botsMinSnakes: 0 }), log: quiet, clock });
  const a = new FakePeer();
  const b = new FakePeer();
  const plain = registry.join('plain', a);
  const chosen = registry.join('chosen', b, jsonCodec, { bots: 4 });
  assert.ok(plain.ok && chosen.ok);
  plain.room.receive(a, { type: 'join', name: 'ann' });
  chosen.room.receive(b, { type: 'join', name: 'bob' });
  clock.advance(500);
  assert.equal(plain.room.state.players.length, 1, 'no bots by default');
  assert.equal(plain.room.settings.bots, 0);
  assert.equal(chosen.room.state.players.length, 4);
  assert.equal(chosen.room.settings.bots, 4);
  registry.closeAll(1001, 'test over');
  assert.equal(clock.pending, 0);
});

test('a restored room brings back no bots: they leave on its first tick, and come anew only with a person', () => {
  const room = makeRoom({ resumeGraceS: 10 });
  const ann = person(room, 'ann');
  room.tick();
  assert.equal(botIds(room).length, 3);
  const saved = room.checkpoint();
  assert.equal(saved.players.length, 1, 'only the person can be taken back');
  const token = ann.messages().find((m) => m.type === 'welcome')!;
  const restored = makeRoom({ restore: saved, resumeGraceS: 10 });
  const watcher = new FakePeer();
  restored.add(watcher);
  restored.tick();
  assert.equal(botIds(restored).length, 0, 'the saved bots left');
  assert.equal(restored.state.players.length, 1, 'ann is held');
  restored.tick();
  assert.equal(botIds(restored).length, 0, 'no person connected: no new bots');
  const back = new FakePeer();
  restored.add(back, jsonCodec, token.type === 'welcome' ? token.token : '');
  assert.equal(back.last().type, 'joined');
  restored.tick();
  assert.equal(botIds(restored).length, 3, 'ann is back, and so is her company');
});
