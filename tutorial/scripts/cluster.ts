// Chapter 09's lab, as a script: a real redis-server and three instances of the built server
// sharing it (REDIS_URL), without nginx: the script plays nginx's part by choosing which instance
// each socket goes to. It shows the lease (one instance runs a room; another refuses it with
// 4409), a drain (SIGTERM: the room moves, at the very tick its player saw last) and a crash
// (kill -9: the room is refused while the dead instance's lease lives, then comes back from its
// last checkpoint). Prints one line a step; the docs test runs this and compares with the chapter.
// Chapter: docs/tutorial/09-scaling-out.md

import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys, redisClient } from '../../server/src/cluster/keys.ts';
import { Child, Player, freePort, startServer } from './lab.ts';

if (spawnSync('redis-server', ['--version']).error) {
  console.error('redis-server is not installed (Debian/Ubuntu: apt-get install redis-server)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'snakepit-cluster-'));
const redisPort = await freePort();
const redis = new Child(
  spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }),
);
const instances: Awaited<ReturnType<typeof startServer>>[] = [];
const players: Player[] = [];
const client = redisClient(`redis://127.0.0.1:${redisPort}`);
try {
  await redis.waitOutput(/Ready to accept connections/);
  await client.connect();
  const lease = async () => (await client.get(keys.lease('pit'))) ?? 'nobody';
  const start = async (id: string) => {
    const instance = await startServer({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      INSTANCE_ID: id,
      DATA_DIR: join(dir, id),
      CHECKPOINT_EVERY_S: '1',
    });
    instances.push(instance);
    return instance;
  };
  const [one, two, three] = [await start('one'), await start('two'), await start('three')];
  console.log('redis-server and three instances, one, two and three, share it');

  const ann = new Player('ann', 'pit');
  players.push(ann);
  await ann.connect(one.port);
  await ann.ticks(3);
  console.log(`ann opens room pit on one; the lease of pit is held by ${await lease()}`);

  const bob = new Player('bob', 'pit');
  players.push(bob);
  await bob.connect(two.port).catch(() => undefined);
  console.log(`bob asks two for pit: closed with ${bob.closed?.code} "${bob.closed?.reason}"`);

  // SIGTERM: one drains. Its room is saved, its lease let go, its sockets closed with 1012.
  const drained = one.stop('SIGTERM');
  const closed = await ann.closing();
  const lastSeen = ann.mirror.tick;
  console.log(`one gets SIGTERM: ann's socket closes with ${closed.code} "${closed.reason}"; one exits with code ${await drained}`);
  console.log(`the lease of pit is held by ${await lease()}`);
  let before = new Map(ann.history);
  await ann.connect(two.port);
  console.log(
    `ann reconnects to two with her token: the lease is held by ${await lease()}, and the room is back at ${ann.resumedAt === lastSeen ? 'the very tick' : `tick ${ann.resumedAt}, not the tick`} she saw last, ${ann.history.get(ann.resumedAt!) === before.get(ann.resumedAt!) ? 'the same' : 'NOT the same'} room`,
  );
  await bob.connect(two.port);
  await bob.until('bob to see ann', () => bob.mirror.players.has(ann.id!));
  console.log('bob asks two for pit again: he joins, and sees ann');

  // kill -9: two saves nothing more, and its lease lives on in Redis until it expires.
  await ann.ticks(15); // long enough for a checkpoint (CHECKPOINT_EVERY_S=1)
  const killedAt = ann.mirror.tick;
  await two.stop('SIGKILL');
  await ann.closing();
  console.log(
    `two is killed with kill -9: ann's socket closes with ${ann.closed?.code}; the lease of pit is still held by ${await lease()}`,
  );
  before = new Map(ann.history);
  const refusals = new Set<string>();
  for (;;) {
    const back = await ann.connect(three.port).then(
      () => true,
      () => false,
    );
    if (back) break;
    refusals.add(`${ann.closed?.code} "${ann.closed?.reason}"`);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the page's quick retry
  }
  console.log(`ann asks three, every half second: refused with ${[...refusals].join(', ')} until the lease expires, then let in`);
  const at = ann.resumedAt!;
  console.log(
    `the room is back from its last checkpoint: a tick ann had seen (${ann.history.get(at) === before.get(at) ? 'the same' : 'NOT the same'} room), ${at <= killedAt ? 'at or before' : 'after'} the kill`,
  );
} finally {
  for (const p of players) p.close();
  if (client.isOpen) client.destroy();
  for (const i of instances) await i.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
