// Step 2: no timer before the first player, one while anyone is connected, none after the last.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../02-first-player/server.ts';
import { Client, Log } from './helpers.ts';

test('the loop is not running before the first socket and stops after the last', async (t) => {
  const log = new Log();
  const step = await start({ port: 0, tickMs: 50, log: log.write });
  t.after(() => step.close());
  assert.equal(step.running, false, 'no player, no loop');

  const url = `ws://127.0.0.1:${step.port}/ws`;
  const a = await Client.open(url);
  await a.tick();
  assert.equal(step.running, true);
  const b = await Client.open(url);
  t.after(() => Promise.all([a.close(), b.close()]));

  await a.close();
  const seen = b.messages.length;
  await b.tick(seen); // one player left: the loop goes on
  assert.equal(step.running, true);

  await b.close();
  await log.waitFor(/^loop stopped/);
  assert.equal(step.running, false, 'the last player left');
  assert.equal(log.lines.filter((l) => l === 'loop started').length, 1, 'two players, one loop');

  const c = await Client.open(url); // a new first player starts a new game
  t.after(() => c.close());
  assert.equal((await c.tick()).tick, 1);
  assert.equal(step.running, true);
});
