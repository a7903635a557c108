// The server over real sockets on port 0: rooms, ticks, isolation, clean-up, bad input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@snakepit/shared';
import { MAX_INVALID_MESSAGES } from '../src/connection.ts';
import { TestClient, connect, startServer } from './helpers.ts';

const names = (c: TestClient) => [...c.mirror.players.values()].map((p) => p.name).sort();

test('two clients join one room and both receive ticks listing both players', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20 });
  const ann = await connect(ws('pit'));
  const bob = await connect(ws('pit'));
  const welcome = await ann.next('welcome');
  assert.equal(welcome.protocol, PROTOCOL_VERSION);
  assert.equal(welcome.room, 'pit');
  assert.equal(welcome.width, 60);
  assert.equal(welcome.height, 40);
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
  assert.deepEqual(ticks, ticks.map((_, i) => ticks[0]! + i));
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
  for (let i = 0; i < 100 && app.rooms.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(app.rooms.size, 0);
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
    const client = new WebSocket(ws(encodeURIComponent(room)));
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
  players.forEach((c, i) => c.send({ type: 'join', name: `p${i}` }));
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
  confused.send({ type: 'turn', dir: 'north' });
  assert.match((await confused.next('error', (m) => /dir/.test(m.message))).message, /^turn: \/dir/);
  confused.send({ type: 'turn', dir: 'up' });
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
  assert.deepEqual(ticks, ticks.map((_, i) => ticks[0]! + i));
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
  c.send({ type: 'turn', dir: turnTo });
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
  const snap = await c.next('snapshot', () => true, 3000, from);
  assert.ok(snap.tick > 0);
  await c.close();
});
