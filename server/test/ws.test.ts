// The server over real sockets on port 0: rooms, ticks, isolation, clean-up, bad input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@snakepit/shared';
import { MAX_INVALID_MESSAGES } from '../src/connection.ts';
import { type TestClient, connect, startServer, waitFor } from './helpers.ts';

const names = (c: TestClient) => [...c.mirror.players.values()].map((p) => p.name).sort((a, b) => a.localeCompare(b));

test('two clients join one room and both receive ticks listing both players', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20 });
  const ann = await connect(ws('pit'));
  const bob = await connect(ws('pit'));
  const welcome = await ann.next('welcome');
  assert.equal(welcome.protocol, PROTOCOL_VERSION);
  assert.equal(welcome.room, 'pit');
  assert.deepEqual(welcome.board, { width: 60, height: 40, walls: 'solid' });
  await ann.next('snapshot');

  ann.send({ type: 'join', name: 'ann' });
  bob.send({ type: 'join', name: 'bob' });
  const annId = (await ann.next('joined')).id;
  const bobId = (await bob.next('joined')).id;
  assert.notEqual(annId, bobId);

  for (const c of [ann, bob]) {
    await c.until(() => (names(c).join() === 'ann,bob' && c.mirror.snakes.size === 2 ? true : undefined));
    // And the ticks keep coming, each one numbered one after the other.
    const tick = c.mirror.tick;
    await c.next('tick', (m) => m.tick >= tick + 3);
  }
  const ticks = ann.messages.filter((m) => m.type === 'tick').map((m) => m.tick);
  assert.deepEqual(
    ticks,
    ticks.map((_, i) => ticks[0]! + i),
  );
  await Promise.all([ann.close(), bob.close()]);
});

test('a client in another room sees neither player', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20 });
  const ann = await connect(ws('one'));
  const bob = await connect(ws('one'));
  const eve = await connect(ws('two'));
  ann.send({ type: 'join', name: 'ann' });
  bob.send({ type: 'join', name: 'bob' });
  eve.send({ type: 'join', name: 'eve' });
  await ann.until(() => (names(ann).join() === 'ann,bob' ? true : undefined));
  await eve.until(() => (eve.mirror.snakes.size === 1 ? true : undefined));
  const tick = eve.mirror.tick;
  await eve.next('tick', (m) => m.tick >= tick + 5);
  assert.deepEqual(names(eve), ['eve']);
  assert.deepEqual(names(ann), ['ann', 'bob']);
  await Promise.all([ann.close(), bob.close(), eve.close()]);
});

test('/api/rooms shows rooms live; after everyone leaves it is empty and no loop or timer is left', async (t) => {
  const { app, base, ws } = await startServer(t, { tickRate: 20 });
  const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const ann = await connect(ws('pit'));
  const bob = await connect(ws('pit'));
  const watcher = await connect(ws('other'));
  ann.send({ type: 'join', name: 'ann' });
  bob.send({ type: 'join', name: 'bob' });
  await bob.next('joined');

  const rooms = (await (await fetch(`${base}/api/rooms`)).json()) as { id: string; players: number; spectators: number; tick: number }[];
  rooms.sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(
    rooms.map(({ id, players, spectators }) => ({ id, players, spectators })),
    [
      { id: 'other', players: 0, spectators: 1 },
      { id: 'pit', players: 2, spectators: 0 },
    ],
  );
  assert.ok(rooms.every((r) => Number.isInteger(r.tick)));
  const pit = app.rooms.get('pit')!;
  assert.equal(pit.running, true);

  await Promise.all([ann.close(), bob.close(), watcher.close()]);
  // The server sees the closes a moment after the clients do.
  await waitFor(() => app.rooms.size === 0, 'every room is deleted');
  assert.equal(pit.running, false);
  assert.deepEqual(await (await fetch(`${base}/api/rooms`)).json(), []);
  const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  assert.ok(timersAfter <= timersBefore, `timers before ${timersBefore}, after ${timersAfter}`);
});

test('a bad room id is refused with 400 before the upgrade', async (t) => {
  const { base, ws } = await startServer(t);
  for (const room of ['UPPER', 'a b', 'x'.repeat(33), '', '../x']) {
    // A plain GET of the same URL gets the same answer, with a reason in JSON.
    const plain = await fetch(`${base}/ws?room=${encodeURIComponent(room)}`);
    assert.equal(plain.status, 400);
    assert.equal(((await plain.json()) as { error: string }).error, 'bad-room');
    const client = new WebSocket(ws(room));
    const status = await new Promise<number>((resolve) => {
      client.once('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
      client.once('open', () => resolve(101));
      client.once('error', () => undefined);
    });
    client.terminate();
    assert.equal(status, 400, `room ${JSON.stringify(room)}`);
  }
});

test('the lobby is the default room', async (t) => {
  const { ws } = await startServer(t);
  const c = await connect(ws());
  assert.equal((await c.next('welcome')).room, 'lobby');
  await c.close();
});

test('the 11th player gets "room is full" and keeps watching', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20, maxPlayersPerRoom: 10 });
  const players = await Promise.all(Array.from({ length: 10 }, () => connect(ws('full'))));
  players.forEach((c, i) => {
    c.send({ type: 'join', name: `p${i}` });
  });
  await Promise.all(players.map((c) => c.next('joined')));
  const late = await connect(ws('full'));
  late.send({ type: 'join', name: 'late' });
  const err = await late.next('error');
  assert.equal(err.code, 'room-full');
  assert.match(err.message, /full/);
  await late.until(() => (late.mirror.players.size === 10 ? true : undefined));
  const tick = late.mirror.tick;
  await late.next('tick', (m) => m.tick >= tick + 2);
  await Promise.all([...players, late].map((c) => c.close()));
});

test('bad input gets an error or a close, and the other client keeps receiving ticks', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20 });
  const good = await connect(ws('pit'));
  good.send({ type: 'join', name: 'good' });
  await good.next('joined');

  // Unknown type and invalid fields: an error message each, connection stays open.
  const confused = await connect(ws('pit'));
  confused.send({ type: 'teleport', to: 5 });
  assert.match((await confused.next('error')).message, /unknown message type "teleport"/);
  confused.send({ type: 'turn', dir: 'north', seq: 1 });
  assert.match((await confused.next('error', (m) => /dir/.test(m.message))).message, /^turn: \/dir/);
  confused.send({ type: 'turn', dir: 'up', seq: 1 });
  assert.equal((await confused.next('error', (m) => m.code === 'not-playing')).code, 'not-playing');
  assert.equal(confused.ws.readyState, WebSocket.OPEN);

  // Repeated invalid messages: closed with 1008.
  for (let i = 0; i < MAX_INVALID_MESSAGES; i++) confused.send({ type: 'nope' });
  assert.equal((await confused.closed).code, 1008);

  // Garbage: an error, then 1008.
  const garbage = await connect(ws('pit'));
  garbage.send('}{ not json');
  const closed = await garbage.closed;
  assert.equal(closed.code, 1008);
  assert.ok(garbage.messages.some((m) => m.type === 'error' && m.code === 'bad-message'));

  // An oversized frame: ws closes it with 1009 before it is even parsed.
  const big = await connect(ws('pit'));
  big.send(JSON.stringify({ type: 'join', name: 'x'.repeat(10_000) }));
  assert.equal((await big.closed).code, 1009);

  // Through all of that, the good client kept getting consecutive ticks and kept its snake.
  const tick = good.mirror.tick;
  await good.next('tick', (m) => m.tick >= tick + 3);
  const ticks = good.messages.filter((m) => m.type === 'tick').map((m) => m.tick);
  assert.deepEqual(
    ticks,
    ticks.map((_, i) => ticks[0]! + i),
  );
  await good.close();
});

test('a turn message steers the snake', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20 });
  const c = await connect(ws('steer'));
  c.send({ type: 'join', name: 'ann' });
  const id = (await c.next('joined')).id;
  await c.until(() => (c.mirror.snakes.get(id)?.moved ? true : undefined));
  const facing = () => {
    const body = c.mirror.snakes.get(id)!.body;
    const d = body[0]! - body[1]!;
    return d === -60 ? 'up' : d === 1 ? 'right' : d === 60 ? 'down' : 'left';
  };
  const now = facing();
  const turnTo = now === 'up' || now === 'down' ? 'left' : 'up';
  c.send({ type: 'turn', dir: turnTo, seq: 1 });
  await c.until(() => (c.mirror.snakes.get(id) && facing() === turnTo ? true : undefined));
  await c.close();
});

test('GET /healthz says ok', async (t) => {
  const { base } = await startServer(t);
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('a socket from another origin is refused with 403; the own origin and listed origins are let in', async (t) => {
  const { ws } = await startServer(t);
  const status = (url: string, origin?: string) =>
    new Promise<number>((resolve) => {
      const client = new WebSocket(url, origin ? { origin } : {});
      client.once('unexpected-response', (_req, r) => {
        resolve(r.statusCode ?? 0);
        client.terminate();
      });
      client.once('open', () => {
        resolve(101);
        client.close();
      });
      client.once('error', () => undefined);
    });
  const url = ws('origins');
  const own = new URL(url).host;
  assert.equal(await status(url, 'https://evil.example'), 403);
  assert.equal(await status(url, `http://${own}`), 101);
  assert.equal(await status(url), 101, 'no Origin: not a browser, let through');

  const listed = await startServer(t, { allowedOrigins: ['https://snake.example.com'] });
  assert.equal(await status(listed.ws('o'), 'https://snake.example.com'), 101);
  assert.equal(await status(listed.ws('o'), 'https://evil.example'), 403);
});

test('resync gets a full snapshot with the next tick', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20 });
  const c = await connect(ws('resync'));
  await c.next('tick');
  const from = c.messages.length;
  c.send({ type: 'resync' });
  const snap = await c.next('snapshot', () => true, undefined, from);
  assert.ok(snap.tick > 0);
  await c.close();
});

// ---- rooms with their own settings ------------------------------------------------------------

/** The HTTP status a WebSocket upgrade of `url` got (101 when it opened). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise<number>((resolve) => {
    const client = new WebSocket(url);
    client.once('unexpected-response', (_req, r) => {
      resolve(r.statusCode ?? 0);
      client.terminate();
    });
    client.once('open', () => {
      resolve(101);
      client.close();
    });
    client.once('error', () => undefined);
  });
}

test('?size=s&walls=wrap&speed=15 makes a 40x27 wrapping room at 15 ticks a second, and /api/rooms says so', async (t) => {
  const { base, ws } = await startServer(t);
  const c = await connect(`${ws('custom')}&size=s&walls=wrap&speed=15`);
  const welcome = await c.next('welcome');
  assert.deepEqual(welcome.board, { width: 40, height: 27, walls: 'wrap' });
  assert.equal(welcome.tickRate, 15);
  assert.equal(welcome.stones, 0, 'a chosen size without stones has none');
  const rooms = (await (await fetch(`${base}/api/rooms`)).json()) as { id: string; settings: unknown }[];
  assert.deepEqual(
    rooms.map((r) => [r.id, r.settings]),
    [['custom', { width: 40, height: 27, walls: 'wrap', tickRate: 15, stones: 0, bots: 0 }]],
  );
  await c.close();
});

test('a bad room setting is refused with 400 bad-settings before the upgrade, with a reason', async (t) => {
  const { app, base, ws } = await startServer(t);
  for (const query of ['size=xl', 'speed=12', 'walls=bouncy', 'stones=lots', 'size=s&size=m']) {
    const plain = await fetch(`${base}/ws?room=bad&${query}`);
    assert.equal(plain.status, 400, query);
    const body = (await plain.json()) as { error: string; message: string };
    assert.equal(body.error, 'bad-settings', query);
    assert.match(body.message, /must be one of/, query);
    assert.equal(await upgradeStatus(`${ws('bad')}&${query}`), 400, query);
  }
  const xl = (await (await fetch(`${base}/ws?room=bad&size=xl`)).json()) as { message: string };
  assert.equal(xl.message, 'size must be one of s, m, l, not "xl"');
  assert.equal(app.rooms.size, 0, 'no room was made');
});

test('a second socket with other settings joins the existing room, which keeps its own', async (t) => {
  const { app, ws } = await startServer(t);
  const first = await connect(`${ws('mine')}&size=l&speed=5&stones=some`);
  const made = await first.next('welcome');
  const second = await connect(`${ws('mine')}&size=s&walls=wrap&speed=15&stones=off`);
  const joined = await second.next('welcome');
  assert.deepEqual(joined.board, { width: 90, height: 60, walls: 'solid' });
  assert.equal(joined.tickRate, 5);
  assert.equal(joined.stones, Math.floor((90 * 60) / 80));
  assert.deepEqual(joined, { ...made, tick: joined.tick, token: joined.token }, 'the same room, described the same way');
  assert.notEqual(joined.token, made.token, 'each connection its own resume token');
  assert.equal(app.rooms.size, 1);
  assert.equal(app.rooms.get('mine')!.info().spectators, 2);
  await Promise.all([first.close(), second.close()]);
});
