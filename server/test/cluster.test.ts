// A cluster with the real engines on loopback: redis-server, nginx running deploy/nginx.conf, and
// three snakepit instances (REDIS_URL set), every one a child process stopped by its PID. Pages
// (cluster-harness.ts) play through nginx as the browser does. The README's "Past one machine"
// promises are these cases: a room's players meet on one instance and every instance lists every
// room; a race for a new room makes exactly one; Redis restarted mid-game never lets two instances
// tick one room; a drained instance's players play again within 2 s with nothing lost; a killed
// one's within 10 s, from the last checkpoint. Without redis-server or nginx this fails, saying so.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import {
  type Child,
  type Instance,
  Page,
  type Seen,
  TempDir,
  binary,
  builtServer,
  freePort,
  rooms,
  startInstance,
  startNginx,
  startRedis,
  until,
} from './cluster-harness.ts';

/** Whoever runs the rooms tick-wise: intervals (ms since the epoch) in which an instance had a room. */
function tenures(instance: Instance, room: string, endedAt: number): [number, number][] {
  const out: [number, number][] = [];
  let since: number | null = null;
  for (const l of instance.log()) {
    if (l.room !== room) continue;
    if (l.msg === 'room created') since = l.time;
    else if (l.msg === 'room deleted' && since !== null) {
      out.push([since, l.time]);
      since = null;
    }
  }
  if (since !== null) out.push([since, endedAt]);
  return out;
}

/** Fails if two instances had `room` at one moment (their logs of "room created" .. "room deleted"). */
function assertOneAtATime(instances: readonly Instance[], room: string, deaths: Map<string, number>): void {
  const all = instances.flatMap((i) => tenures(i, room, deaths.get(i.id) ?? Date.now()).map(([a, b]) => ({ id: i.id, a, b })));
  for (const x of all) {
    for (const y of all) {
      if (x.id < y.id && x.a < y.b && y.a < x.b) assert.fail(`${room} ran on ${x.id} and ${y.id} at once: ${JSON.stringify([x, y])}`);
    }
  }
}

function sameRoom(a: Seen, b: Seen | undefined): void {
  assert.ok(b, 'the page saw that tick before');
  assert.deepEqual(new Map([...a].sort((x, y) => x[0] - y[0])), new Map([...b].sort((x, y) => x[0] - y[0])));
}

describe('a cluster of three instances behind nginx, with Redis', { timeout: 120_000 }, () => {
  const dir = new TempDir();
  let redis: Child;
  let nginx: Child;
  let redisPort: number;
  let base: string;
  const instances: Instance[] = [];
  const pages: Page[] = [];
  /** When each killed instance died (Date.now()), for the tick logs. */
  const deaths = new Map<string, number>();
  const byId = (id: string | undefined) => instances.find((i) => i.id === id);
  const live = () => instances.filter((i) => i.alive);
  const page = async (room: string, name: string) => {
    const p = new Page(base, room, name);
    pages.push(p);
    await p.start();
    return p;
  };
  /** Every instance's log lines about rooms starting with `prefix`, for a failure's message. */
  const logs = (prefix: string) =>
    instances
      .flatMap((i) =>
        i
          .log()
          .filter((l) => typeof l.room === 'string' && l.room.startsWith(prefix))
          .map((l) => `${l.time} ${i.id} ${l.room} ${l.msg}`),
      )
      .sort()
      .join('\n');
  const ownerOf = async (room: string) => byId((await rooms(live()[0]!.url)).find((r) => r.id === room)?.instance);

  before(async () => {
    // First, so that a machine without them fails here with the install line, not a timeout.
    binary('redis-server', 'redis-server');
    binary('nginx', 'nginx');
    builtServer();
    redisPort = await freePort();
    // With its append-only file, as compose.yaml runs it: checkpoints outlive a restart of Redis.
    redis = await startRedis(dir.path, redisPort, true);
    const ports = [await freePort(), await freePort(), await freePort()];
    instances.push(...(await Promise.all(ports.map((p, i) => startInstance(`i${i + 1}`, p, redisPort, `${dir.path}/data${i + 1}`)))));
    const nginxPort = await freePort();
    nginx = await startNginx(dir.path, nginxPort, ports);
    base = `ws://127.0.0.1:${nginxPort}`;
  });

  after(async () => {
    for (const p of pages) p.stop();
    await Promise.all([...instances.map((i) => i.stop()), nginx?.stop(), redis?.stop()]);
    // CLUSTER_LOGS=<file> keeps every instance's log for a look after a failure.
    if (process.env.CLUSTER_LOGS)
      writeFileSync(process.env.CLUSTER_LOGS, instances.flatMap((i) => i.lines.map((l) => `${i.id} ${l}`)).join('\n'));
    dir.remove();
  });

  it("meets a room's players on one instance, and every instance lists every room", async () => {
    const a = await page('meet', 'ann');
    const b = await page('meet', 'bob');
    const others = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'];
    for (const r of others) await page(r, `p-${r}`);
    // Both players of "meet" see each other: one room, so one instance.
    await until('ann and bob to see each other', () => a.mirror.players.has(b.id!) && b.mirror.players.has(a.id!));
    const expected = ['meet', ...others].sort((x, y) => x.localeCompare(y));
    const lists = await Promise.all(
      instances.map((i) =>
        until(`${i.id} to list every room`, async () => {
          const listed = await rooms(i.url);
          return JSON.stringify(listed.map((r) => r.id).sort((x, y) => x.localeCompare(y))) === JSON.stringify(expected);
        }).then(() => rooms(i.url)),
      ),
    );
    const where = (list: Awaited<ReturnType<typeof rooms>>) => Object.fromEntries(list.map((r) => [r.id, r.instance]));
    for (const list of lists) {
      assert.deepEqual(where(list), where(lists[0]!), 'every instance says the same instance for each room');
      assert.equal(list.find((r) => r.id === 'meet')?.players, 2);
    }
    // Ten rooms over three instances by the hash: all on one would be (1/3)^9.
    assert.ok(new Set(Object.values(where(lists[0]!))).size >= 2, 'rooms spread over instances');
  });

  it('a race: sockets for one new room reach two instances at once, and exactly one room is made', async () => {
    const [x, y] = instances;
    // Every socket stays open until all have their answer: a room left by all its sockets ends,
    // and a later socket could then rightly make it again elsewhere.
    const sockets: WebSocket[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) => {
        const target = i % 2 === 0 ? x! : y!;
        return new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${target.port}/ws?room=race&wire=json`);
          sockets.push(ws);
          ws.on('error', () => resolve('error'));
          ws.on('message', (data: Buffer) => {
            if (data.toString().startsWith('{"type":"welcome"')) resolve(`welcome:${target.id}`);
          });
          ws.on('close', (code) => resolve(`closed:${code}`));
        });
      }),
    );
    // The sockets stay open through the checks: with the last one gone the room ends and its
    // lease with it, and a busy machine can get there before /metrics is read.
    try {
      await checkRace(outcomes);
    } finally {
      for (const ws of sockets) ws.close();
    }
  });

  async function checkRace(outcomes: string[]): Promise<void> {
    const [x, y] = instances;
    const welcomed = new Set(outcomes.filter((o) => o.startsWith('welcome:')));
    assert.equal(welcomed.size, 1, `one instance took the room: ${outcomes.join(' ')}`);
    assert.deepEqual(
      outcomes.filter((o) => !o.startsWith('welcome:')),
      Array(8).fill('closed:4409'),
      'the other instance refused every socket with 4409',
    );
    const made = instances.filter((i) => i.log().some((l) => l.room === 'race' && l.msg === 'room created'));
    assert.equal(made.length, 1, 'one instance logged "room created" for race');
    // Each instance counts it in /metrics: the loser its refusals, the winner its lease.
    const metric = async (i: Instance, name: string) =>
      Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${i.url}/metrics`)).text())?.[1] ?? Number.NaN);
    const loser = made[0] === x ? y! : x!;
    assert.ok((await metric(loser, 'snakepit_cluster_refusals_total')) >= 8, 'the refusals are counted');
    assert.ok((await metric(made[0]!, 'snakepit_cluster_leases')) >= 1, 'the lease is counted');
    assert.ok((await metric(made[0]!, 'snakepit_redis_rtt_seconds')) > 0, 'the round trip to Redis is measured');
  }

  it('Redis restarted mid-game: rooms go on or stop cleanly, never on two instances at once', async () => {
    const players = [await page('redis-a', 'cat'), await page('redis-b', 'dan'), await page('redis-c', 'eve')];
    await until('a few ticks', () => players.every((p) => p.mirror.tick > 5));
    await redis.stop();
    redis = await startRedis(dir.path, redisPort, true);
    const restartedAt = performance.now();
    // Every page plays again (on through the restart, or back after a clean 1012), and keeps playing.
    await until(
      () => `every page to play after the restart: ${players.map((p) => p.describe()).join('; ')}\n${logs('redis-')}`,
      () => players.every((p) => p.playing && p.lastTickAt > restartedAt + 2000),
      30_000, // a page refused while Redis is away backs off up to 8 s between tries, as the real page does
    );
    for (const p of players) {
      for (const c of p.closes) assert.equal(c.code, 1012, `${p.name} closed cleanly (${c.reason})`);
      assert.deepEqual(p.errors, []);
    }
    // Leases were taken again: each room is listed once, by one instance.
    await until('the directory to come back', async () => {
      const listed = await rooms(instances[0]!.url);
      return ['redis-a', 'redis-b', 'redis-c'].every((r) => listed.filter((x) => x.id === r).length === 1);
    });
    for (const r of ['redis-a', 'redis-b', 'redis-c', 'meet', 'race']) assertOneAtATime(instances, r, deaths);
  });

  it('SIGTERM drains an instance: its players play again within 2 s, nothing lost', async (t) => {
    const a = await page('drain', 'fay');
    const b = await page('drain', 'gus');
    await until('a few ticks', () => a.mirror.tick > 10 && b.mirror.players.has(a.id!));
    const owner = await ownerOf('drain');
    assert.ok(owner, 'the directory names the instance running "drain"');
    const sent = performance.now();
    owner.kill('SIGTERM');
    await until(
      () => `both to play again: ${[a, b].map((p) => p.describe()).join('; ')}\n${logs('drain')}`,
      () => [a, b].every((p) => p.resumes.length > 0 && p.playing),
      5000,
    );
    const back = Math.max(...[a, b].map((p) => p.resumes[0]!.at)) - sent;
    assert.ok(back < 2000, `back within 2 s (took ${Math.round(back)} ms)`);
    t.diagnostic(`drain: both players playing again ${Math.round(back)} ms after SIGTERM`);
    assert.equal(await owner.exited, 0, 'the drained instance exited cleanly');
    // Nothing lost: the first page back found the room at the last tick it saw, exactly as it saw it.
    for (const p of [a, b]) assert.equal(p.closes[0]?.code, 1012);
    const first = [a, b].sort((x, y) => x.resumes[0]!.tick - y.resumes[0]!.tick)[0]!;
    assert.equal(first.resumes[0]!.tick, first.closes[0]!.tick, 'the room came back at the tick the page last saw');
    sameRoom(first.resumes[0]!.seen, first.history.get(first.resumes[0]!.tick));
    assert.notEqual((await ownerOf('drain'))?.id, owner.id, 'the room moved');
    deaths.set(owner.id, Date.now());
    assertOneAtATime(instances, 'drain', deaths);
  });

  it('kill -9 of the instance running a room: its players play again within 10 s, from the last checkpoint', async (t) => {
    const a = await page('crash', 'hal');
    const b = await page('crash', 'ivy');
    // Long enough for a checkpoint (CHECKPOINT_EVERY_S=1) and some food eaten.
    await until('a checkpoint', () => a.mirror.tick > 25 && b.mirror.players.has(a.id!));
    const owner = await ownerOf('crash');
    assert.ok(owner, 'the directory names the instance running "crash"');
    const tickAtKill = a.mirror.tick;
    const killed = performance.now();
    owner.kill('SIGKILL');
    deaths.set(owner.id, Date.now());
    await until('both to play again', () => [a, b].every((p) => p.resumes.length > 0 && p.playing), 12_000);
    const back = Math.max(...[a, b].map((p) => p.resumes[0]!.at)) - killed;
    assert.ok(back < 10_000, `back within 10 s (took ${Math.round(back)} ms)`);
    // The first page back found the room exactly as it was at an earlier tick it had seen (the
    // checkpoint), at most a checkpoint interval and a bit before the kill.
    const first = [a, b].map((p) => ({ p, r: p.resumes[0]! })).sort((x, y) => x.r.tick - y.r.tick)[0]!;
    sameRoom(first.r.seen, first.p.history.get(first.r.tick));
    assert.ok(first.r.tick <= tickAtKill && tickAtKill - first.r.tick <= 25, `checkpoint tick ${first.r.tick}, killed at ${tickAtKill}`);
    t.diagnostic(
      `kill -9: both players playing again ${Math.round(back)} ms after the kill, ${tickAtKill - first.r.tick} ticks of play lost`,
    );
    for (const p of [a, b]) assert.deepEqual(p.errors, []);
    const now = await ownerOf('crash');
    assert.ok(now && now.id !== owner.id && now.alive, 'another instance runs the room');
    assertOneAtATime(instances, 'crash', deaths);
    // The dead instance leaves the directory (its entry expires without heartbeats).
    await until(
      'the killed instance to leave the directory',
      async () => !(await rooms(now.url)).some((r) => r.instance === owner.id),
      10_000,
    );
  });
});
