// The server under bad input and abuse, over real sockets on 127.0.0.1: malformed frames,
// floods, silent peers, connection and request limits, overload, security headers. In every
// case the other players' games must keep going.
// Nothing here asserts how long something took on the wall clock: rates and timeouts are
// checked on a fake clock where the code takes one (ClientConnection, Heartbeat), and the
// socket tests assert on what happened and in what order, so a busy machine cannot fail them.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_RULES } from '@snakepit/shared';
import WebSocket from 'ws';
import { MAX_FRAGMENTS, MAX_PAYLOAD_BYTES } from '../src/app.ts';
import { ClientConnection } from '../src/connection.ts';
import { Room } from '../src/rooms/room.ts';
import { ServerStats } from '../src/stats.ts';
import { type TestClient, connect, startServer, waitFor } from './helpers.ts';
import { closeCode, ended, frame, rawConnect } from './raw-ws.ts';

/** Resolves once `c` has received `n` more consecutive ticks. */
async function keepsTicking(c: TestClient, n = 3): Promise<void> {
  const from = c.mirror.tick;
  await c.next('tick', (m) => m.tick >= from + n);
  const ticks = c.messages.filter((m) => m.type === 'tick').map((m) => m.tick);
  assert.deepEqual(
    ticks,
    ticks.map((_, i) => ticks[0]! + i),
    "no gap in the steady client's ticks",
  );
}

function portOf(base: string): number {
  return Number(new URL(base).port);
}

test("malformed frames are closed with the protocol's own codes, and nobody else notices", async (t) => {
  const { base, ws } = await startServer(t, { tickRate: 20 });
  const steady = await connect(ws('frames'));
  steady.send({ type: 'join', name: 'steady' });
  await steady.next('joined');
  const port = portOf(base);

  const cases: { name: string; bytes: () => Buffer[]; code: number }[] = [
    {
      name: 'an unmasked client frame',
      bytes: () => [frame({ opcode: 0x1, payload: Buffer.from('{"type":"respawn"}'), masked: false })],
      code: 1002,
    },
    { name: 'a reserved opcode', bytes: () => [frame({ opcode: 0x3, payload: Buffer.from('hi') })], code: 1002 },
    {
      name: 'invalid UTF-8 in a text frame',
      bytes: () => [frame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) })],
      code: 1007,
    },
    {
      name: `an oversized frame (> ${MAX_PAYLOAD_BYTES} bytes)`,
      bytes: () => [frame({ opcode: 0x1, payload: Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x61) })],
      code: 1009,
    },
    {
      name: 'a frame header claiming 2^40 bytes',
      bytes: () => [frame({ opcode: 0x2, payload: Buffer.alloc(0), length: 2 ** 40 }).subarray(0, 14)],
      code: 1009,
    },
    {
      name: `thousands of tiny fragments (> ${MAX_FRAGMENTS})`,
      bytes: () => [
        frame({ fin: false, opcode: 0x1, payload: Buffer.from('{') }),
        ...Array.from({ length: 2000 }, () => frame({ fin: false, opcode: 0x0, payload: Buffer.from(' ') })),
      ],
      code: 1008,
    },
  ];
  for (const c of cases) {
    const { socket, received } = await rawConnect(port, '/ws?room=frames');
    for (const b of c.bytes()) socket.write(b);
    await ended(socket);
    assert.equal(closeCode(received()), c.code, c.name);
  }
  await keepsTicking(steady);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  await steady.close();
});

test('a client flooding 1,000 messages a second is closed with 1008 within a second (fake clock)', () => {
  const RATE = 30;
  const room = new Room({ id: 'r', rules: DEFAULT_RULES, tickRate: 10, seed: 1, log: { info() {}, warn() {}, error() {} } });
  const stats = new ServerStats();
  const fake = () => {
    const peer = {
      closedWith: null as { code: number; reason: string } | null,
      bufferedAmount: 0,
      send() {},
      close(code: number, reason: string) {
        peer.closedWith ??= { code, reason };
      },
    };
    room.add(peer);
    return peer;
  };
  let seq = 0;
  const turn = () => new TextEncoder().encode(`{"type":"turn","dir":"up","seq":${++seq}}`);

  // One message every millisecond.
  let now = 0;
  const flooder = fake();
  const flood = new ClientConnection(flooder, room, stats, { maxMessagesPerSecond: RATE }, () => now);
  let sent = 0;
  while (flooder.closedWith === null && now < 5000) {
    flood.receive(turn());
    sent++;
    now += 1;
  }
  assert.deepEqual(flooder.closedWith, { code: 1008, reason: 'too many messages' });
  // The bucket holds at most 2 x RATE tokens, so the server cuts it off by message 2 x RATE + 1
  // however fast they come: at 1,000 a second that is well inside a second.
  assert.ok(sent <= 2 * RATE + 1, `accepted ${sent} messages`);
  assert.ok(now < 1000, `closed after ${now} ms`);
  const counted = stats.messagesIn;
  flood.receive(turn());
  assert.equal(stats.messagesIn, counted, 'nothing more is read from a closed connection');

  // A client at the sustained rate, for a minute, is never cut off.
  now = 0;
  const steady = fake();
  const calm = new ClientConnection(steady, room, stats, { maxMessagesPerSecond: RATE }, () => now);
  for (let i = 0; i < 60 * RATE; i++) {
    calm.receive(turn());
    now += 1000 / RATE;
  }
  assert.equal(steady.closedWith, null);
});

test('a flooding socket is closed with 1008 and the room goes on for the others', async (t) => {
  const RATE = 30;
  const { ws, app } = await startServer(t, { tickRate: 20, maxMessagesPerSecond: RATE });
  const steady = await connect(ws('flood'));
  steady.send({ type: 'join', name: 'steady' });
  await steady.next('joined');
  const flooder = await connect(ws('flood'));
  flooder.send({ type: 'join', name: 'flooder' });
  await flooder.next('joined');

  const inBefore = app.stats.messagesIn;
  // Ten times the bucket in one burst: however slowly the server reads it, it refills at 30 a
  // second, so it is still far over.
  for (let i = 0; i < 20 * RATE; i++) flooder.send({ type: 'turn', dir: i % 2 ? 'up' : 'left', seq: i + 1 });
  const closed = await flooder.closed;
  const taken = app.stats.messagesIn - inBefore;
  t.diagnostic(`closed after ${taken} of ${20 * RATE} messages`);
  assert.equal(closed.code, 1008);
  assert.equal(closed.reason, 'too many messages');
  assert.ok(taken < 20 * RATE, `accepted ${taken} messages`);
  // At most two of its turns ever waited in the rules (see room.test.ts); the room went on
  // for the others.
  await keepsTicking(steady);
  await steady.close();
});

test('a peer that stops answering pings is terminated; one that answers stays', async (t) => {
  const { ws, app } = await startServer(t, { pingIntervalMs: 150 });
  const alive = await connect(ws('pings'));
  const silent = new WebSocket(ws('pings'), { autoPong: false } as WebSocket.ClientOptions);
  await new Promise((r) => silent.once('open', r));
  const code = await new Promise<number>((r) => silent.once('close', (c) => r(c)));
  // How soon (within two intervals) is checked on a fake clock in heartbeat.test.ts; here, that
  // it happens over a real socket, to the silent peer and to no one else.
  assert.equal(code, 1006, 'terminated: no closing handshake for a dead peer');
  assert.equal(app.heartbeat.terminated, 1);
  assert.equal(alive.ws.readyState, WebSocket.OPEN);
  await alive.close();
  // With no sockets left the heartbeat stops: an idle server schedules nothing.
  await waitFor(() => !app.heartbeat.running, 'the heartbeat stops');
});

test('a socket that never joins and never reads is closed', async (t) => {
  const { base, app } = await startServer(t, { pingIntervalMs: 150 });
  const { socket } = await rawConnect(portOf(base), '/ws?room=lurker');
  socket.pause(); // never reads: cannot see pings, let alone answer them
  assert.equal(app.rooms.size, 1);
  // The server's side of it is gone when its room is (a paused socket cannot see the close).
  await waitFor(() => app.rooms.size === 0, "the lurker's room is deleted");
  assert.equal(app.heartbeat.terminated, 1);
  socket.destroy();
});

test('too many connections from one address get 429 before the upgrade, with a reason a page can read', async (t) => {
  const { app, base, ws } = await startServer(t, { maxConnectionsPerIp: 3 });
  const open = await Promise.all([1, 2, 3].map(() => connect(ws('crowd'))));
  const status = await new Promise<number>((resolve) => {
    const c = new WebSocket(ws('crowd'));
    c.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
    c.once('error', () => undefined);
  });
  assert.equal(status, 429);
  // A plain GET of the same URL explains (the browser client asks this way after a failure).
  const res = await fetch(`${base}/ws?room=crowd`);
  assert.equal(res.status, 429);
  assert.match(((await res.json()) as { message: string }).message, /too many connections from your address \(at most 3\)/);
  await open[0]!.close();
  // The server frees the place once it has seen the close, a moment after the client.
  await waitFor(() => app.websocketServer.clients.size === 2, 'the server sees the close');
  const again = await connect(ws('crowd'));
  await Promise.all([again, ...open.slice(1)].map((c) => c.close()));
});

test('when MAX_ROOMS are open, a new room gets 503 with a reason; existing rooms still admit', async (t) => {
  const { base, ws } = await startServer(t, { maxRooms: 1 });
  const first = await connect(ws('one'));
  const res = await fetch(`${base}/ws?room=two`);
  assert.equal(res.status, 503);
  assert.match(((await res.json()) as { message: string }).message, /server is full: 1 rooms are open/);
  const same = await connect(ws('one'));
  await Promise.all([first.close(), same.close()]);
});

test('HTTP requests are rate-limited per address, except the health check', async (t) => {
  const { base } = await startServer(t, { httpRateLimit: 5 });
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await fetch(`${base}/api/rooms`)).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
  for (let i = 0; i < 10; i++) assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('under overload new game connections get 503, while the page and running rooms carry on', async (t) => {
  const { base, ws } = await startServer(t, { maxEventLoopDelayMs: 20, tickRate: 20 });
  const steady = await connect(ws('busy'));
  await steady.next('tick');
  // Block the event loop for 1.5 s: the overload monitor sees the delay on its next sample.
  const until = performance.now() + 1500;
  while (performance.now() < until);
  const seen: number[] = [];
  for (let i = 0; i < 30 && !seen.includes(503); i++) {
    seen.push((await fetch(`${base}/ws?room=newcomer`)).status);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(seen.includes(503), `statuses seen: ${seen.join(',')}`);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  await keepsTicking(steady);
  await steady.close();
});

test('an upgrade refused under overload has its socket closed, so the server then closes at once', async (t) => {
  const { ws, close } = await startServer(t, { maxEventLoopDelayMs: 20 });
  const until = performance.now() + 1500;
  while (performance.now() < until);
  // A client that keeps its end open after the refusal (ws leaves the socket to whoever listens
  // for the response): only the server closing its end lets the server finish closing.
  const seen: number[] = [];
  for (let i = 0; i < 30 && !seen.includes(503); i++) {
    seen.push(
      await new Promise<number>((resolve) => {
        const c = new WebSocket(ws('newcomer'));
        c.once('open', () => {
          c.terminate();
          resolve(101);
        });
        c.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
        c.once('error', () => resolve(-1));
      }),
    );
  }
  assert.ok(seen.includes(503), `statuses seen: ${seen.join(',')}`);
  // A hang detector, not a timing: with the socket left open, close() never finished.
  const finished = await Promise.race([close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('stuck'), 30_000).unref())]);
  assert.equal(finished, 'closed');
});

test('the page is served with security headers and a CSP that forbids eval', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snakepit-page-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  const { base } = await startServer(t, { clientDir: dir });
  const res = await fetch(`${base}/`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(res.headers.get('x-frame-options'));
});

test('requests that never finish are cut off (requestTimeout is set)', async (t) => {
  const { app } = await startServer(t);
  assert.equal(app.server.requestTimeout, 10_000);
});

test('a connection attempt during shutdown is refused with a reason and cannot hold the server open', async (t) => {
  const { app, ws, close } = await startServer(t);
  const player = await connect(ws('closing'));
  const closing = close();
  // A newcomer that never lets go of its socket (ws leaves that to us once we listen for the
  // response): the server must still finish closing.
  const status = await new Promise<number>((resolve) => {
    const c = new WebSocket(ws('closing'));
    c.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
    c.once('error', () => resolve(-1));
  });
  // A hang detector, not a timing: closing takes the 1.5 s grace at most.
  const finished = await Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('stuck'), 30_000).unref())]);
  assert.equal(finished, 'closed');
  assert.ok(status === 503 || status === -1, `status ${status}`);
  assert.equal((await player.closed).code, 1001);
  assert.equal(app.rooms.size, 0);
});

test("behind a trusted proxy, per-address limits count the players' addresses; otherwise the proxy's", async (t) => {
  const upgrade = (url: string, forwardedFor: string) =>
    new Promise<number>((resolve) => {
      const c = new WebSocket(url, { headers: { 'x-forwarded-for': forwardedFor } });
      c.once('open', () => resolve(101));
      c.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
      c.once('error', () => undefined);
      t.after(() => c.terminate());
    });
  // nginx on this host (127.0.0.1) adds each player's address: two players, one connection each.
  const trusted = await startServer(t, { maxConnectionsPerIp: 1, trustProxy: ['127.0.0.1'] });
  assert.equal(await upgrade(trusted.ws('p'), '203.0.113.1'), 101);
  assert.equal(await upgrade(trusted.ws('p'), '203.0.113.2'), 101);
  assert.equal(await upgrade(trusted.ws('p'), '203.0.113.2'), 429, 'the same player again');
  // Not trusted: the header is ignored and everyone is the proxy's address.
  const plain = await startServer(t, { maxConnectionsPerIp: 1 });
  assert.equal(await upgrade(plain.ws('p'), '203.0.113.1'), 101);
  assert.equal(await upgrade(plain.ws('p'), '203.0.113.2'), 429);
});
