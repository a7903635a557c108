// Step 3: a tick that throws. Surfaced, the failure is logged, the players are closed with 1011
// and the room stops (the next player starts afresh). Swallowed (--swallow, run as a process of
// its own, because it installs a process-wide handler), the process lives on but the room is a
// zombie: its player stays connected, keys still echo, and no tick ever comes again.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { start } from '../03-task/server.ts';
import { Client, Log, bounded, runStep, stop } from './helpers.ts';

test('surfaced: the failing tick is logged, the room stops, its players are told', async (t) => {
  const log = new Log();
  const step = await start({ port: 0, tickMs: 50, log: log.write });
  t.after(() => step.close());
  const url = `ws://127.0.0.1:${step.port}/ws`;

  const a = await Client.open(`${url}?fail=2`);
  t.after(() => a.close());
  await a.tick();
  assert.equal(await bounded(a.closed, 'the room to close the socket'), 1011);
  await log.waitFor(/^game loop failed: Error: tick 2 failed on purpose/);
  assert.equal(step.running, false);
  assert.deepEqual(
    a.messages.map((m) => m.tick),
    [1],
  );

  const b = await Client.open(url); // the next player gets a fresh room
  t.after(() => b.close());
  assert.equal((await b.tick()).tick, 1);
});

test('cancelled is not failed: the last player leaving stops the task without an error', async (t) => {
  const log = new Log();
  const step = await start({ port: 0, tickMs: 50, log: log.write });
  t.after(() => step.close());
  const a = await Client.open(`ws://127.0.0.1:${step.port}/ws`);
  await a.tick();
  await a.close();
  await log.waitFor(/^loop stopped/);
  assert.equal(step.running, false);
  assert.ok(!log.lines.some((l) => l.includes('failed')), log.lines.join('\n'));
});

test('swallowed: the process lives on, the room is a zombie that never ticks again', async (t) => {
  const TICK_MS = 50;
  const run = runStep(['3', '--swallow'], { PORT: '0', TICK_MS: String(TICK_MS) });
  t.after(() => stop(run));
  const port = /localhost:(\d+)/.exec(await run.out.waitFor(/^Open http:\/\/localhost:\d+/))![1];

  const a = await Client.open(`ws://127.0.0.1:${port}/ws?fail=2`);
  t.after(() => a.close());
  await a.tick();
  await run.out.waitFor(/^unhandled rejection: Error: tick 2 failed on purpose/);

  a.send({ type: 'key', key: 'k' });
  await a.next((m) => m.type === 'key', 'the echo: the server still answers');
  await sleep(TICK_MS * 10); // room for ten more ticks, if there were a loop
  assert.deepEqual(
    a.messages.filter((m) => m.type === 'tick').map((m) => m.tick),
    [1],
    'no tick after the failure',
  );
  assert.equal(a.socket.readyState, a.socket.OPEN, 'and nobody told the player');
  assert.equal(run.child.exitCode, null, 'the process is still running');
});
