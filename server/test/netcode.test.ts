// Protocol 5 over real sockets on port 0: turn sequence numbers and their acknowledgements,
// ping/pong, `leave`, and resuming a dropped game with the welcome's token. Grace periods are
// a few ticks of a fast room, and every wait is for a message (or, with nobody connected, for
// the registry to change), never a sleep.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIR_NAMES, type DirName } from '@snakepit/shared';
import WebSocket from 'ws';
import { type TestClient, connect, startServer, waitFor } from './helpers.ts';

/** Joins `c` as `name` and resolves with its id once its snake has moved at least once. */
async function play(c: TestClient, name: string): Promise<number> {
  c.send({ type: 'join', name });
  const id = (await c.next('joined')).id;
  await c.until(() => (c.mirror.snakes.get(id)?.moved ? true : undefined));
  return id;
}

/** The way snake `id` faces in `c`'s mirror. */
function facing(c: TestClient, id: number): DirName | null {
  const body = c.mirror.snakes.get(id)?.body;
  const d = body && body.length > 1 ? c.mirror.board.dirBetween(body[1]!, body[0]!) : null;
  return d === null ? null : DIR_NAMES[d];
}

function tokenOf(c: TestClient): string {
  const welcome = c.messages.find((m) => m.type === 'welcome');
  assert.ok(welcome?.type === 'welcome');
  return welcome.token;
}

/** The ack the ticks `c` received give player `id` (0 before any). */
function lastAck(c: TestClient, id: number): number {
  return c.mirror.players.get(id)?.ack ?? 0;
}

test('a turn is acknowledged in the tick that applies it; dropped presses are acknowledged; seqs must rise', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20 });
  const c = await connect(ws('acks'));
  const id = await play(c, 'ann');
  const now = facing(c, id)!;
  const turnTo: DirName = now === 'up' || now === 'down' ? 'left' : 'up';
  const from = c.messages.length;
  c.send({ type: 'turn', dir: turnTo, seq: 1 });
  // The first tick that carries the ack is the one whose moves show the turn.
  const facedThen = await c.until(() => {
    const m = c.messages.at(-1);
    return m?.type === 'tick' && m.acks?.some(([who, seq]) => who === id && seq === 1) ? facing(c, id) : undefined;
  });
  assert.equal(facedThen, turnTo);
  const earlier = c.messages.slice(from, -1).flatMap((m) => (m.type === 'tick' ? (m.acks ?? []) : []));
  assert.deepEqual(earlier, [], 'no ack before the tick that applied it');

  // Four presses at once: at most two wait, one applies a tick; every one is acknowledged,
  // the dropped and the used-up ones too.
  for (let seq = 2; seq <= 5; seq++) c.send({ type: 'turn', dir: DIR_NAMES[seq % 4]!, seq });
  await c.until(() => (lastAck(c, id) === 5 ? true : undefined));

  for (const seq of [5, 4]) {
    c.send({ type: 'turn', dir: 'down', seq });
    const refused = await c.next(
      'error',
      (m) => m.code === 'bad-message' && /seq must increase/.test(m.message),
      undefined,
      c.messages.length,
    );
    assert.match(refused.message, new RegExp(`got ${seq} after 5`));
  }
  c.send({ type: 'turn', dir: 'down', seq: 6 });
  await c.until(() => (lastAck(c, id) === 6 ? true : undefined));
  await c.close();
});

test('ping gets a pong with its id, to the sender alone, in either wire format', async (t) => {
  const { ws } = await startServer(t, { tickRate: 20 });
  const json = await connect(ws('ping', { wire: 'json' }));
  const binary = await connect(ws('ping', { wire: 'binary' }));
  await Promise.all([json.next('snapshot'), binary.next('snapshot')]);
  json.send({ type: 'ping', id: 7 });
  binary.send({ type: 'ping', id: 2 ** 31 - 1 });
  const a = await json.next('pong');
  const b = await binary.next('pong');
  assert.equal(a.id, 7);
  assert.equal(b.id, 2 ** 31 - 1);
  assert.ok(Number.isInteger(a.tick) && Number.isInteger(b.tick));
  // Each saw its own pong and no other.
  const tick = json.mirror.tick;
  await json.next('tick', (m) => m.tick >= tick + 2);
  assert.deepEqual(
    json.messages.filter((m) => m.type === 'pong').map((m) => m.type === 'pong' && m.id),
    [7],
  );
  assert.deepEqual(
    binary.messages.filter((m) => m.type === 'pong').map((m) => m.type === 'pong' && m.id),
    [2 ** 31 - 1],
  );
  await Promise.all([json.close(), binary.close()]);
});

test('leave: the snake goes at the next tick, the socket stays and watches', async (t) => {
  const { app, ws } = await startServer(t, { tickRate: 20 });
  const ann = await connect(ws('leave'));
  const bob = await connect(ws('leave'));
  const id = await play(ann, 'ann');
  ann.send({ type: 'leave' });
  await bob.next('tick', (m) => m.leaves?.includes(id) ?? false);
  assert.equal(ann.ws.readyState, WebSocket.OPEN);
  const tick = ann.mirror.tick;
  await ann.next('tick', (m) => m.tick >= tick + 2);
  assert.equal(ann.mirror.players.has(id), false);
  assert.deepEqual(app.rooms.get('leave')!.info().players, 0);
  ann.send({ type: 'turn', dir: 'up', seq: 9 });
  assert.equal((await ann.next('error')).code, 'not-playing');
  await Promise.all([ann.close(), bob.close()]);
});

test('resume: a dropped player is away to the others, and the token brings back the same player', async (t) => {
  const { app, ws } = await startServer(t, { tickRate: 20, resumeGraceS: 60 });
  const ann = await connect(ws('resume'));
  const bob = await connect(ws('resume'));
  const id = await play(ann, 'ann');
  ann.send({ type: 'turn', dir: facing(ann, id) === 'up' || facing(ann, id) === 'down' ? 'left' : 'up', seq: 4 });
  await ann.until(() => (lastAck(ann, id) === 4 ? true : undefined));
  const token = tokenOf(ann);

  ann.ws.terminate(); // a dropped connection: no `leave`, no closing handshake
  await bob.next('tick', (m) => m.away?.some(([who, flag]) => who === id && flag === 1) ?? false);
  assert.equal(bob.mirror.players.get(id)?.away, true);
  const held = { player: { ...bob.mirror.players.get(id)! }, body: [...(bob.mirror.snakes.get(id)?.body ?? [])] };
  const tick = bob.mirror.tick;
  await bob.next('tick', (m) => m.tick >= tick + 3);
  assert.deepEqual(bob.mirror.snakes.get(id)?.body ?? [], held.body, 'the held snake stays still');
  assert.deepEqual(app.rooms.get('resume')!.info().players, 1);

  const back = await connect(ws('resume', { resume: token }));
  const welcome = await back.next('welcome');
  assert.notEqual(welcome.token, token, 'a new token with the new welcome');
  assert.equal(welcome.token.length, 22);
  assert.deepEqual(
    back.messages.slice(0, 3).map((m) => m.type),
    ['welcome', 'snapshot', 'joined'],
  );
  assert.equal((await back.next('joined')).id, id);
  // Given back as it was held: score, best, acknowledged turns and the very same snake.
  const snap = await back.next('snapshot');
  assert.deepEqual(
    snap.players.find((p) => p.id === id),
    { ...held.player, away: true, ack: 4 },
  );
  assert.deepEqual(snap.snakes.find((s) => s.id === id)?.body ?? [], held.body);
  await bob.next('tick', (m) => m.away?.some(([who, flag]) => who === id && flag === 0) ?? false);
  // It steers again, its seqs carrying on from the last.
  back.send({ type: 'turn', dir: 'up', seq: 4 });
  assert.equal((await back.next('error')).code, 'bad-message');
  back.send({ type: 'turn', dir: 'up', seq: 5 });
  await back.until(() => (lastAck(back, id) === 5 ? true : undefined));

  // The token is spent: used again, it names nothing, and the newcomer only watches.
  const reuse = await connect(ws('resume', { resume: token }));
  const refused = await reuse.next('error');
  assert.equal(refused.code, 'bad-token');
  assert.match(refused.message, /could not be resumed \(expired or unknown\): join again/);
  assert.deepEqual(reuse.messages.map((m) => m.type).slice(0, 3), ['welcome', 'snapshot', 'error']);
  assert.ok(!reuse.messages.some((m) => m.type === 'joined'));

  // A token belongs to its room.
  const elsewhere = await connect(ws('other-room', { resume: welcome.token }));
  assert.equal((await elsewhere.next('error')).code, 'bad-token');
  await Promise.all([back.close(), bob.close(), reuse.close(), elsewhere.close()]);
});

test('after the grace a held player leaves; its token is then refused; an empty room goes with it', async (t) => {
  // 0.2 s at 50 ticks a second: 10 ticks of grace.
  const { app, ws } = await startServer(t, { tickRate: 50, resumeGraceS: 0.2 });
  const ann = await connect(ws('grace'));
  const bob = await connect(ws('grace'));
  const id = await play(ann, 'ann');
  const token = tokenOf(ann);
  ann.ws.terminate();
  const away = await bob.next('tick', (m) => m.away?.some(([who]) => who === id) ?? false);
  const left = await bob.next('tick', (m) => m.leaves?.includes(id) ?? false);
  assert.equal(left.tick - away.tick, 10, 'away for exactly the grace, in ticks');
  const late = await connect(ws('grace', { resume: token }));
  assert.equal((await late.next('error')).code, 'bad-token');
  await Promise.all([late.close(), bob.close()]);
  await waitFor(() => app.rooms.size === 0, 'the room is deleted');

  // A room whose only player dropped ticks on through the grace, then is deleted.
  const solo = await connect(ws('solo'));
  await play(solo, 'solo');
  const room = app.rooms.get('solo')!;
  solo.ws.terminate();
  await waitFor(() => room.holding === 1, 'the server sees the drop');
  assert.equal(app.rooms.get('solo'), room, 'kept while its player is held');
  assert.equal(room.running, true);
  await waitFor(() => app.rooms.size === 0, 'deleted once the grace is over');
  assert.equal(room.running, false);
});

test('a resume token longer than 64 characters, or given twice, is refused with 400 before the upgrade', async (t) => {
  const { app, base } = await startServer(t);
  for (const query of [`resume=${'x'.repeat(65)}`, 'resume=a&resume=b']) {
    const res = await fetch(`${base}/ws?room=tok&${query}`);
    assert.equal(res.status, 400, query);
    const body = (await res.json()) as { error: string; message: string };
    assert.equal(body.error, 'bad-token');
    assert.match(body.message, /resume must be one token of at most 64 characters/);
  }
  const ok = await connect(`${base.replace('http', 'ws')}/ws?room=tok&resume=${'x'.repeat(64)}`);
  assert.equal((await ok.next('error')).code, 'bad-token', 'any 64 characters pass the URL check; the room says no');
  await ok.close();
  await waitFor(() => app.rooms.size === 0, 'the room is deleted');
});
