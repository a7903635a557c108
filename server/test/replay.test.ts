// Replays: a live game played through real sockets is recorded, served by GET /api/replays/:id,
// replayed with the shared step(), and ends in the very state the live room had (the golden
// test's state hash). Around it: every life of a long random game replays exactly, from a
// keyframe that may lie several keyframes back; a recording with a gap is not served; old and
// oversized recordings are pruned, on both stores; the route refuses bad ids and says when a
// replay is unknown; and a room restored after a crash tells each resuming player, once, how
// much play may have been lost.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import {
  DEFAULT_RULES,
  type Dir,
  type GameState,
  Rng,
  type ServerMessage,
  type TickInputs,
  createGame,
  jsonCodec,
  step,
} from '@snakepit/shared';
import { hashState, randomNetInputs } from '../../shared/test/helpers.ts';
import { Recorder } from '../src/replay/recorder.ts';
import { Room } from '../src/rooms/room.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { KEYFRAME_EVERY_S, type Replay, type ReplayStore, assemble } from '../src/store/replays.ts';
import { BATCH_MS } from '../src/store.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import { FakePeer } from './fake-peer.ts';
import { connect, startServer } from './helpers.ts';

const quiet = { info() {}, warn() {}, error() {} };

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'snakepit-replay-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What GET /api/replays/:id answers. */
interface ReplayJson {
  id: string;
  room: string;
  player: { id: number; name: string };
  score: number;
  tickRate: number;
  from: number;
  to: number;
  at: string;
  start: Omit<GameState, 'food'> & { food: [number, number][] };
  ticks: (TickInputs & { tick: number })[];
}

/** Plays a served replay with the shared rules: every state from its start to its end, by tick. */
function play(r: ReplayJson): Map<number, GameState> {
  let state: GameState = { ...r.start, food: new Map(r.start.food) };
  const states = new Map([[state.tick, state]]);
  const byTick = new Map(r.ticks.map((t) => [t.tick, t]));
  while (state.tick < r.to) {
    state = step(state, byTick.get(state.tick + 1) ?? {}).state;
    states.set(state.tick, state);
  }
  return states;
}

/** The same for a store's Replay. */
function playStored(r: Replay): GameState {
  let state = r.start;
  const byTick = new Map(r.ticks.map((t) => [t.tick, t]));
  while (state.tick < r.life.to) state = step(state, byTick.get(state.tick + 1) ?? {}).state;
  return state;
}

test('a live game through real sockets: each death gets a replay id, and its replay ends in the state the room had', async (t) => {
  // The room's own states, hashed as it steps: what the replay must reach.
  const live = new Map<number, string>();
  const spy = (state: GameState, inputs?: TickInputs) => {
    const result = step(state, inputs);
    live.set(result.state.tick, hashState(result.state));
    return result;
  };
  const store = new SqliteStore(tempDir(t), quiet);
  const { base, ws } = await startServer(
    t,
    { gridWidth: 12, gridHeight: 12, walls: 'solid', tickRate: 20, stones: 0, maxEventLoopDelayMs: 0 },
    { seed: 42, store, step: (room) => (room === 'pit' ? spy : undefined) },
  );
  // ann plays in binary and runs into a wall, twice; bob (JSON) turns now and then and lives on.
  const ann = await connect(ws('pit'));
  const bob = await connect(ws('pit', { wire: 'json' }));
  ann.send({ type: 'join', name: 'ann' });
  bob.send({ type: 'join', name: 'bob' });
  const annId = (await ann.next('joined')).id;
  const bobId = (await bob.next('joined')).id;
  let seq = 0;
  const dirs = ['up', 'left', 'down', 'right'] as const;
  bob.ws.on('message', () => {
    const tick = bob.mirror.tick;
    if (tick % 3 === 0 && bob.mirror.snakes.has(bobId)) bob.send({ type: 'turn', dir: dirs[(tick / 3) % 4]!, seq: ++seq });
  });
  // One turn of ann's own, so her inputs are in the recording too.
  await ann.next('tick', () => ann.mirror.snakes.has(annId));
  ann.send({ type: 'turn', dir: 'up', seq: 1 });
  const first = await ann.next('replay', () => true, 20_000);
  ann.send({ type: 'respawn' });
  const second = await ann.next('replay', (m) => m.id !== first.id, 20_000);
  assert.ok(!bob.messages.some((m) => m.type === 'replay' && (m.id === first.id || m.id === second.id)), 'told to ann alone');

  for (const [n, msg] of [first, second].entries()) {
    const death = ann.messages.find((m): m is Extract<ServerMessage, { type: 'tick' }> => m.type === 'tick' && m.tick === msg.tick);
    assert.ok(
      death?.deaths?.some((d) => d.id === annId),
      `life ${n + 1}: the replay message follows the tick that reported the death`,
    );
    const res = await fetch(`${base}/api/replays/${msg.id}?room=pit`);
    assert.equal(res.status, 200);
    const r = (await res.json()) as ReplayJson;
    assert.equal(r.id, msg.id);
    assert.deepEqual(r.player, { id: annId, name: 'ann' });
    assert.equal(r.room, 'pit');
    assert.equal(r.to, msg.tick);
    assert.ok(r.start.tick <= r.from && r.from < r.to);
    const states = play(r);
    const end = states.get(r.to)!;
    assert.equal(hashState(end), live.get(r.to), `life ${n + 1}: the replay's last state is the live room's`);
    assert.equal(end.players.find((p) => p.id === annId)?.snake, null, 'she is dead at the end');
    assert.equal(states.get(r.from)!.players.find((p) => p.id === annId)?.snake ?? null, null, 'and had no snake before it began');
    assert.ok(states.get(r.from + 1)!.players.find((p) => p.id === annId)?.snake, 'her snake appears on the next tick');
    assert.ok(
      r.ticks.some((tk) => tk.turns?.some((u) => u.id === bobId)),
      "bob's turns are in the recording",
    );
    if (n === 0)
      assert.ok(
        r.ticks.some((tk) => tk.turns?.some((u) => u.id === annId && u.dir === (0 as Dir))),
        'and hers',
      );
    if (n === 1)
      assert.ok(
        r.ticks.some((tk) => tk.respawns?.includes(annId)),
        'the second life began with her respawn',
      );
  }
});

test('GET /api/replays/:id: a malformed id gets 400, an unknown one 404 with a JSON error', async (t) => {
  const { base } = await startServer(t);
  const bad = await fetch(`${base}/api/replays/not%20an%20id`);
  assert.equal(bad.status, 400);
  assert.equal((await fetch(`${base}/api/replays/AAAAAAAAAAAA?room=Bad!`)).status, 400);
  const missing = await fetch(`${base}/api/replays/AAAAAAAAAAAA`);
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('content-type') ?? '', /application\/json/);
  const body = (await missing.json()) as { error: string; message: string };
  assert.equal(body.error, 'replay-not-found');
  assert.match(body.message, /no replay AAAAAAAAAAAA here/);
});

test('with REPLAY_MAX_MB=0 nothing is recorded and no replay message is sent', async (t) => {
  const { app, ws } = await startServer(t, { gridWidth: 10, gridHeight: 10, tickRate: 30, replayMaxMb: 0, maxEventLoopDelayMs: 0 });
  assert.equal(app.replays, null);
  const c = await connect(ws('pit', { wire: 'json' }));
  c.send({ type: 'join', name: 'ann' });
  const id = (await c.next('joined')).id;
  const died = await c.next('tick', (m) => m.deaths?.some((d) => d.id === id) ?? false, 20_000);
  // Ticks go on after the death; a replay message would have followed it at once.
  await c.next('tick', (m) => m.tick > died.tick + 3);
  assert.ok(!c.messages.some((m) => m.type === 'replay'));
});

/** A long random game, recorded; returns each state's hash by tick and the store. */
function recordRandomGame(store: ReplayStore, ticks: number, tickRate = 10) {
  const recorder = new Recorder({ room: 'pit', tickRate, store });
  const rules = { ...DEFAULT_RULES, width: 24, height: 20, stones: 8 };
  let state = createGame(rules, 11);
  const script = new Rng(5);
  const nextId = { value: 1 };
  const hashes = new Map<number, string>();
  const lives: { player: number; id: string; tick: number }[] = [];
  for (let i = 0; i < ticks; i++) {
    const inputs = randomNetInputs(state, script, nextId, 6);
    const { state: next, events } = step(state, inputs);
    for (const life of recorder.step(state, inputs, next, events)) lives.push({ ...life, tick: next.tick });
    state = next;
    hashes.set(state.tick, hashState(state));
  }
  return { hashes, lives };
}

test('a batch handed to the writer a slice at a time still writes every recording, and commits once', async (t) => {
  // Timers mocked so the batch starts when the test says; setImmediate (the yield) stays real.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const store = new SqliteStore(tempDir(t), quiet, { sliceMs: 0 });
  t.after(() => store.close());
  const { hashes, lives } = recordRandomGame(store, KEYFRAME_EVERY_S * 10 * 2);
  assert.ok(lives.length > 5, `a busy game: ${lives.length} lives`);
  const committed = new Promise<void>((resolve) => {
    store.onBatch = () => resolve();
  });
  t.mock.timers.tick(BATCH_MS);
  assert.equal(store.counters.batches, 0, 'the batch yielded after its first object: nothing committed yet');
  await committed;
  assert.equal(store.counters.batches, 1, 'then one transaction with everything');
  for (const life of lives) {
    const replay = await store.replay(life.id);
    assert.ok(replay, `life ${life.id} is found`);
    assert.equal(hashState(playStored(replay)), hashes.get(life.tick), `life ${life.id} ends where the game was`);
  }
  assert.equal(store.counters.batches, 1, 'nothing was left for another batch');
});

for (const kind of ['memory', 'sqlite'] as const) {
  test(`every life of a long random game replays exactly, across keyframes (${kind})`, async (t) => {
    const store = kind === 'memory' ? new MemoryStore() : new SqliteStore(tempDir(t), quiet);
    t.after(() => (store as MemoryStore | SqliteStore).close());
    const ticks = KEYFRAME_EVERY_S * 10 * 4;
    const { hashes, lives } = recordRandomGame(store, ticks);
    assert.ok(lives.length > 20, `a busy game: ${lives.length} lives`);
    let longest = 0;
    for (const life of lives) {
      const replay = await store.replay(life.id);
      assert.ok(replay, `life ${life.id} is found`);
      assert.equal(replay.life.player, life.player);
      assert.equal(replay.life.to, life.tick);
      assert.ok(replay.start.tick <= replay.life.from);
      longest = Math.max(longest, replay.life.to - replay.start.tick);
      assert.equal(hashState(playStored(replay)), hashes.get(life.tick), `life ${life.id} ends where the game was`);
    }
    assert.ok(longest > KEYFRAME_EVERY_S * 10, 'some replay starts more than a keyframe interval back');
    assert.equal(await store.replay('AAAAAAAAAAAA'), null);
    assert.ok(store.replayBytes() > 0);
  });

  test(`old and oversized recordings are pruned, and lives that lost their keyframe with them (${kind})`, async (t) => {
    let now = 1_000_000;
    const clock = () => now;
    const store = kind === 'memory' ? new MemoryStore(clock) : new SqliteStore(tempDir(t), quiet, { now: clock });
    t.after(() => (store as MemoryStore | SqliteStore).close());
    const old = recordRandomGame(store, 600);
    await (store as MemoryStore | SqliteStore).flush();
    now += 3_600_000;
    const recent = recordRandomGame(store, 600);
    await (store as MemoryStore | SqliteStore).flush();
    const all = store.replayBytes();
    assert.ok((await store.replay(old.lives[0]!.id)) !== null);

    // By age: everything saved before the cut goes.
    await store.pruneReplays(now - 1000, all * 2);
    assert.equal(await store.replay(old.lives[0]!.id), null, 'the old recording is gone');
    assert.ok((await store.replay(recent.lives[0]!.id)) !== null, 'the recent one stays');
    const left = store.replayBytes();
    assert.ok(left > 0 && left < all);

    // By size: down to the limit, the oldest first.
    await store.pruneReplays(0, 0);
    assert.equal(store.replayBytes(), 0);
    assert.equal(await store.replay(recent.lives.at(-1)!.id), null);
  });
}

for (const kind of ['memory', 'sqlite'] as const) {
  test(`a room that closes with no death recorded keeps nothing; one with a death keeps that life (${kind})`, async (t) => {
    const store = kind === 'memory' ? new MemoryStore() : new SqliteStore(tempDir(t), quiet);
    t.after(() => store.close());
    const quietGame = new Recorder({ room: 'a', tickRate: 10, store });
    // Wrapping walls and no turns: the snake cannot die.
    let state = createGame({ ...DEFAULT_RULES, width: 20, height: 20, walls: 'wrap' }, 1);
    for (let i = 0; i < 20; i++) {
      const inputs = i === 0 ? { joins: [{ id: 1, name: 'ann' }] } : {};
      const next = step(state, inputs);
      quietGame.step(state, inputs, next.state, next.events);
      state = next.state;
    }
    quietGame.end();
    await store.flush();
    assert.equal(store.replayBytes(), 0);
    const { lives } = recordRandomGame(store, 300);
    await store.flush();
    const kept = store.replayBytes();
    assert.ok(kept > 0 && lives.length > 0);
    assert.ok(await store.replay(lives[0]!.id));
  });
}

test('a recording with a gap in its inputs is not served as whole', () => {
  const state = createGame({ ...DEFAULT_RULES, width: 12, height: 12 }, 1);
  const life = { id: 'AAAAAAAAAAAA', recording: 'r', room: 'pit', player: 1, name: 'ann', score: 0, from: 0, to: 20, at: 0 };
  const keyframe = { state, tickRate: 10 };
  assert.ok(
    assemble(life, keyframe, [
      { from: 0, to: 10, ticks: [] },
      { from: 10, to: 20, ticks: [] },
    ]),
  );
  assert.equal(
    assemble(life, keyframe, [
      { from: 0, to: 10, ticks: [] },
      { from: 12, to: 20, ticks: [] },
    ]),
    null,
  );
  assert.equal(assemble(life, keyframe, [{ from: 0, to: 15, ticks: [] }]), null);
});

test('a room restored from a periodic checkpoint tells each resuming player once how much play may be lost', () => {
  const options = { id: 'pit', rules: { ...DEFAULT_RULES, width: 20, height: 20 }, tickRate: 10, seed: 3, log: quiet, resumeGraceS: 30 };
  const first = new Room(options);
  const peer = new FakePeer();
  first.add(peer, jsonCodec);
  const token = (peer.messages()[0] as Extract<ServerMessage, { type: 'welcome' }>).token;
  first.receive(peer, { type: 'join', name: 'ann' });
  first.tick();
  const saved = first.checkpoint();

  for (const [lostMs, expected] of [
    [5000, 5000],
    [undefined, undefined],
  ] as const) {
    const room = new Room({ ...options, restore: saved, lostMs });
    const back = new FakePeer();
    room.add(back, jsonCodec, token);
    const joined = back.messages().find((m) => m.type === 'joined');
    assert.equal(joined?.type === 'joined' ? joined.lostMs : 'none', expected);
    // Dropped again and back: nothing more was lost, so nothing is said.
    const again = (back.messages()[0] as Extract<ServerMessage, { type: 'welcome' }>).token;
    room.remove(back);
    const third = new FakePeer();
    room.add(third, jsonCodec, again);
    const rejoined = third.messages().find((m) => m.type === 'joined');
    assert.ok(rejoined?.type === 'joined');
    assert.equal(rejoined.lostMs, undefined);
  }
});
