// Step 4: each player's loop takes whichever comes first, a message or a tick, and handles both
// kinds in either order; two messages sent at once are both handled; and a player who leaves
// leaves no listener behind.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../04-wait/server.ts';
import { Client, Log } from './helpers.ts';

test('a message before the first tick and a message after a tick are both handled, and ticks go on', async (t) => {
  const log = new Log();
  const step = await start({ port: 0, tickMs: 200, log: log.write });
  t.after(() => step.close());
  const a = await Client.open(`ws://127.0.0.1:${step.port}/ws`);
  t.after(() => a.close());

  a.send({ type: 'key', key: 'first' }); // most likely before tick 1, 200 ms away
  await a.next((m) => m.key === 'first', 'the echo of a key sent at once');
  const tick = await a.tick();
  a.send({ type: 'key', key: 'second' }); // after a tick, for certain
  await a.next((m) => m.key === 'second', 'the echo of a key sent after a tick');
  await a.next((m) => m.type === 'tick' && m.tick === (tick.tick as number) + 1, 'the next tick');
  assert.equal(step.tickListeners, 1, 'one player, one listener: nothing piled up');
});

test('two messages in one go are both handled; a bad one gets an error', async (t) => {
  const step = await start({ port: 0, tickMs: 50, log: () => {} });
  t.after(() => step.close());
  const a = await Client.open(`ws://127.0.0.1:${step.port}/ws`);
  t.after(() => a.close());
  a.send({ type: 'key', key: 'one' });
  a.send({ type: 'key', key: 'two' });
  a.socket.send('{"type":"nonsense"}');
  await a.next((m) => m.key === 'two', 'the second echo');
  await a.next((m) => m.type === 'error', 'the error');
  const keys = a.messages.filter((m) => m.type === 'key').map((m) => m.key);
  assert.deepEqual(keys, ['one', 'two']);
});

test('players who leave take their listeners with them, and the last one stops the loop', async (t) => {
  const log = new Log();
  const step = await start({ port: 0, tickMs: 50, log: log.write });
  t.after(() => step.close());
  const url = `ws://127.0.0.1:${step.port}/ws`;
  const a = await Client.open(url);
  const b = await Client.open(url);
  t.after(() => Promise.all([a.close(), b.close()]));
  await a.tick();
  await b.tick();
  assert.equal(step.tickListeners, 2);

  await a.close();
  await b.tick(b.messages.length);
  assert.equal(step.tickListeners, 1);
  await b.close();
  await log.waitFor(/^loop stopped/);
  assert.equal(step.tickListeners, 0);
  assert.equal(step.running, false);
});
