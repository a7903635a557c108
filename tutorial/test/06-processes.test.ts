// Step 6: the balancer sends a room to one backend process, the same one every time, and rooms
// spread over both. pick() alone for the rule; then one balancer with its two real processes,
// and real sockets through it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pick, start } from '../06-processes/server.ts';
import { Client, bounded, checkPage } from './helpers.ts';

const BACKENDS = [{ name: 'b1' }, { name: 'b2' }];
const ROOMS = Array.from({ length: 200 }, (_, i) => `room-${i}`);

test('pick(): the same room always gets the same backend, and rooms spread over both', () => {
  for (const room of ROOMS) assert.equal(pick(room, BACKENDS), pick(room, [...BACKENDS]));
  const onB1 = ROOMS.filter((room) => pick(room, BACKENDS).name === 'b1').length;
  assert.ok(onB1 > 50 && onB1 < 150, `${onB1} of 200 rooms on b1`);
});

test('pick(): a third backend takes rooms only for itself; no room moves between the first two', () => {
  const three = [...BACKENDS, { name: 'b3' }];
  for (const room of ROOMS) {
    const before = pick(room, BACKENDS).name;
    const after = pick(room, three).name;
    assert.ok(after === before || after === 'b3', `${room} moved from ${before} to ${after}`);
  }
});

test('through the balancer', async (t) => {
  const step = await bounded(start({ port: 0, log: () => {} }), 'the balancer and its two backends');
  t.after(() => step.close());
  const url = (room: string) => `ws://127.0.0.1:${step.port}/ws?room=${room}`;

  await t.test('/ answers the page and /ws a first tick within 3 s', (t) => checkPage(t, step.port));

  await t.test('one room, one backend; two rooms, two backends', async (t) => {
    const r1 = ROOMS.find((room) => pick(room, BACKENDS).name === 'b1')!;
    const r2 = ROOMS.find((room) => pick(room, BACKENDS).name === 'b2')!;
    const clients = await Promise.all([url(r1), url(r1), url(r2)].map((u) => Client.open(u)));
    t.after(() => Promise.all(clients.map((c) => c.close())));
    const [a, b, c] = await Promise.all(clients.map((client) => client.tick()));
    assert.deepEqual([a!.backend, b!.backend, c!.backend], ['b1', 'b1', 'b2']);
    assert.deepEqual([a!.room, c!.room], [r1, r2]);

    clients[0]!.send({ type: 'key', key: 'hi' }); // the same room shares keys, across the balancer
    await clients[1]!.next((m) => m.type === 'key' && m.key === 'hi', 'the key from the other player of the room');
    assert.ok(!clients[2]!.messages.some((m) => m.type === 'key'), 'the other room saw nothing');
  });

  await t.test('a bad room is refused before the upgrade, with a reason', async () => {
    const answer = await fetch(`http://127.0.0.1:${step.port}/ws?room=Not%20This`);
    assert.equal(answer.status, 400);
    assert.equal(((await answer.json()) as { error: string }).error, 'bad-room');
  });
});
