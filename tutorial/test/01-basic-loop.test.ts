// Step 1: one loop from server start ticks every socket; a key is echoed to everyone, bad input
// gets an error and changes nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../01-basic-loop/server.ts';
import { Client, bounded } from './helpers.ts';

test('every socket gets the ticks, counting up, and every key', async (t) => {
  const step = await start({ port: 0, tickMs: 50, log: () => {} });
  t.after(() => step.close());
  const url = `ws://127.0.0.1:${step.port}/ws`;
  const a = await Client.open(url);
  const b = await Client.open(url);
  t.after(() => Promise.all([a.close(), b.close()]));

  const first = await a.tick();
  const later = await a.next((m) => m.type === 'tick' && (m.tick as number) > (first.tick as number), 'a later tick');
  assert.ok((later.tick as number) > (first.tick as number));
  await b.tick();

  a.send({ type: 'key', key: 'ArrowUp' });
  for (const client of [a, b]) await client.next((m) => m.type === 'key' && m.key === 'ArrowUp', 'the echoed key');
});

test('a message that is not a key gets an error, to its sender only', async (t) => {
  const step = await start({ port: 0, tickMs: 50, log: () => {} });
  t.after(() => step.close());
  const url = `ws://127.0.0.1:${step.port}/ws`;
  const a = await Client.open(url);
  const b = await Client.open(url);
  t.after(() => Promise.all([a.close(), b.close()]));

  a.socket.send('not json');
  await a.next((m) => m.type === 'error', 'an error');
  a.send({ type: 'key', key: 'x' }); // sent after the bad one, so it arrives after its error
  await b.next((m) => m.type === 'key', 'the good key');
  assert.ok(!b.messages.some((m) => m.type === 'error'), 'b saw nothing of a’s mistake');
});

test('a message too big to be a key is refused before it is parsed (close 1009)', async (t) => {
  const step = await start({ port: 0, tickMs: 50, log: () => {} });
  t.after(() => step.close());
  const a = await Client.open(`ws://127.0.0.1:${step.port}/ws`);
  t.after(() => a.close());
  a.socket.send('x'.repeat(2000));
  assert.equal(await bounded(a.closed, 'the server to close the socket'), 1009);
});
