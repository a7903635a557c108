// The Redis store and the lease seam against a real redis-server (a child process on a free
// port): leaderboards answer exactly as the SQLite and memory stores do (the same cases as
// store.test.ts), checkpoint writes are fenced by the room's lease, and a member refuses a room
// another member holds, shares one claim between sockets, and gives a lease up when Redis goes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectRedis, ClusterMember } from '../src/cluster/member.ts';
import { keys, type Redis } from '../src/cluster/keys.ts';
import { testConfig } from '../src/config.ts';
import { RoomRegistry } from '../src/rooms/registry.ts';
import { createGame } from '@snakepit/shared';
import type { GameStore } from '../src/store.ts';
import { RedisStore } from '../src/store/redis.ts';
import { type Child, TempDir, freePort, startRedis, until } from './cluster-harness.ts';
import { FakePeer } from './fake-peer.ts';

const TODAY = Date.UTC(2025, 2, 10, 15);
const YESTERDAY = TODAY - 24 * 3600_000;

/** What the log got, for assertions on warnings. */
function recorder() {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, obj });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

/** The cases of store.test.ts's leaderboardCases, on any store. */
async function leaderboardCases(store: GameStore): Promise<void> {
  const rec = (room: string, name: string, score: number, at: number) => store.recordScore({ room, name, score, at });
  rec('a', 'ann', 10, YESTERDAY);
  rec('a', 'ann', 4, TODAY);
  rec('a', 'bob', 7, TODAY);
  rec('a', 'bob', 6, TODAY + 1);
  rec('b', 'ann', 8, TODAY + 2);
  rec('b', 'cat', 30, YESTERDAY + 5);
  rec('b', 'dan', 2, TODAY + 3);
  await store.flush();
  const q = async (room: string | undefined, period: 'all' | 'today', limit = 10) =>
    (await store.leaderboard({ room, period, limit })).map((e) => `${e.name} ${e.score} ${e.room}`);
  assert.deepEqual(await q(undefined, 'all'), ['cat 30 b', 'ann 10 a', 'bob 7 a', 'dan 2 b']);
  assert.deepEqual(await q(undefined, 'today'), ['ann 8 b', 'bob 7 a', 'dan 2 b']);
  assert.deepEqual(await q('a', 'all'), ['ann 10 a', 'bob 7 a']);
  assert.deepEqual(await q('a', 'today'), ['bob 7 a', 'ann 4 a']);
  assert.deepEqual(await q('b', 'today', 1), ['ann 8 b']);
  assert.deepEqual(await q('nowhere', 'all'), []);
  assert.deepEqual(await store.leaderboard({ period: 'all', limit: 1 }), [{ name: 'cat', score: 30, room: 'b', at: YESTERDAY + 5 }]);
}

describe('the Redis store and room leases, on a real redis-server', { timeout: 60_000 }, () => {
  const dir = new TempDir();
  let server: Child;
  let url: string;
  const clients: Redis[] = [];
  const members: ClusterMember[] = [];
  const connect = async () => {
    const r = await connectRedis(url, recorder().log);
    clients.push(r);
    return r;
  };
  const member = async (instance: string) => {
    const { log, lines } = recorder();
    const redis = await connect();
    const store = new RedisStore(redis, log, { instance, now: () => TODAY });
    const registry = new RoomRegistry({ config: testConfig(), log, store, onDeleted: (id) => m.released(id) });
    const m: ClusterMember = new ClusterMember({ redis, instance, registry, store, log, resumeGraceS: 10 });
    members.push(m);
    return { m, store, registry, lines, redis };
  };

  before(async () => {
    const port = await freePort();
    server = await startRedis(dir.path, port);
    url = `redis://127.0.0.1:${port}`;
  });
  after(async () => {
    for (const m of members) await m.leave().catch(() => undefined);
    for (const c of clients) if (c.isOpen) c.destroy();
    await server.stop();
    dir.remove();
  });

  it('leaderboards answer as the SQLite and memory stores do', async () => {
    const redis = await connect();
    await redis.flushAll();
    await leaderboardCases(new RedisStore(redis, recorder().log, { instance: 'x', now: () => TODAY }));
  });

  it('a checkpoint is written only while the instance holds the room; another instance reads it', async () => {
    const a = await member('a');
    const b = await member('b');
    assert.deepEqual(await a.m.claim('den'), { ok: true });
    assert.deepEqual(await b.m.claim('den'), { ok: false, why: 'elsewhere', owner: 'a' });
    const state = createGame({ width: 20, height: 20, walls: 'solid', maxPlayers: 4, stones: 0, foodBase: 3, foodPerSnake: 1 }, 7);
    const checkpoint = { room: 'den', tickRate: 10, state, nextPlayerId: 1, players: [] };
    b.store.saveCheckpoints([checkpoint]); // b does not hold "den": fenced out
    await b.store.flush();
    assert.equal(await b.store.checkpoint('den'), null);
    assert.ok(b.lines.some((l) => l.msg.startsWith('checkpoint not saved')));
    a.store.saveCheckpoints([checkpoint]);
    await a.store.flush();
    assert.equal((await b.store.checkpoint('den'))?.state.tick, 0);
    // The room ends on a: its checkpoint goes, then its lease, and b may take it.
    a.store.deleteCheckpoint('den');
    a.m.released('den');
    await a.store.flush();
    await until('b to take "den"', async () => (await b.m.claim('den')).ok);
    assert.equal(await b.store.checkpoint('den'), null, 'the checkpoint went before the lease');
  });

  it('sockets arriving together share one claim; a room restored from a checkpoint gives players back', async () => {
    const a = await member('c');
    const claims = await Promise.all(Array.from({ length: 5 }, () => a.m.claim('pit')));
    assert.deepEqual(claims, Array(5).fill({ ok: true }));
    assert.equal(await a.redis.get(keys.lease('pit')), 'c');
    // A player in a room on c, checkpointed; c lets the room go; d restores it and the token works.
    const peer = new FakePeer();
    const joined = a.registry.join('pit', peer);
    assert.ok(joined.ok);
    joined.room.receive(peer, { type: 'join', name: 'zed' });
    joined.room.tick();
    const token = peer.messages().find((m) => m.type === 'welcome')!.token;
    a.store.saveCheckpoints(a.registry.checkpoints());
    await a.store.flush();
    a.registry.closeAll(1012, 'restarting', true);
    const d = await member('d');
    await until('d to take "pit"', async () => (await d.m.claim('pit')).ok);
    assert.equal(d.m.counters.restored, 1);
    const back = new FakePeer();
    const rejoined = d.registry.join('pit', back, undefined, {}, token);
    assert.ok(rejoined.ok);
    assert.ok(
      back.messages().some((m) => m.type === 'joined'),
      'the player is back on the other instance',
    );
    d.registry.closeAll(1001, 'done');
  });

  it('a lease that cannot be renewed is given up before it can expire: the room stops, its sockets get 1012', async () => {
    const a = await member('e');
    a.m.start();
    assert.deepEqual(await a.m.claim('cave'), { ok: true });
    const peer = new FakePeer();
    assert.ok(a.registry.join('cave', peer).ok);
    a.redis.destroy(); // Redis unreachable for this instance from now on
    await until('the room to stop', () => a.registry.get('cave') === undefined, 8000);
    assert.deepEqual(peer.closedWith, { code: 1012, reason: 'room is moving, reconnect' });
    assert.ok(a.m.counters.renewFailures > 0);
    assert.equal(a.m.holds('cave'), false);
    // The lease in Redis outlives the instance's own view of it by the safety margin, then goes.
    const b = await member('f');
    await until('the lease to expire', async () => (await b.m.claim('cave')).ok, 8000);
  });
});
