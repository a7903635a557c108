// Step 5: where the path search runs. Inline, the tick after a search is late by at least the
// search's length minus one tick (it cannot start before the search ends): a bound that holds
// on any machine. In the worker, the answers come back while the ticks go on: a question asked
// at one tick is answered at a later one. No test here compares two timings.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../05-worker/server.ts';
import { Client, type Message } from './helpers.ts';

const TICK_MS = 20;
const SIZE = 1000;

test('inline: the tick after a search is late by about the search', async (t) => {
  const step = await start({ port: 0, tickMs: TICK_MS, size: SIZE, inline: true, log: () => {} });
  t.after(() => step.close());
  const a = await Client.open(`ws://127.0.0.1:${step.port}/ws`);
  t.after(() => a.close());

  const path = await a.next((m) => m.type === 'path' && (m.ms as number) > 3 * TICK_MS, 'a search longer than three ticks');
  assert.equal(path.where, 'inline');
  assert.equal(path.answered, path.asked, 'inline, the answer comes in the same tick');
  const next = await a.next((m) => m.type === 'tick' && m.tick === (path.asked as number) + 1, 'the tick after it');
  assert.ok(
    (next.lateMs as number) >= (path.ms as number) - TICK_MS - 1,
    `tick ${next.tick} late by ${next.lateMs} ms after a ${path.ms} ms search`,
  );
});

test('worker: the answers come back while the ticks go on', async (t) => {
  const step = await start({ port: 0, tickMs: TICK_MS, size: SIZE, log: () => {} });
  t.after(() => step.close());
  const a = await Client.open(`ws://127.0.0.1:${step.port}/ws`);
  t.after(() => a.close());

  const later = (m: Message) => m.type === 'path' && (m.answered as number) > (m.asked as number);
  const path = await a.next(later, 'an answer that came at a later tick than its question');
  assert.equal(path.where, 'worker');
  assert.ok(Number.isInteger(path.steps));
  const ticks = a.messages.filter((m) => m.type === 'tick').map((m) => m.tick as number);
  assert.ok(ticks.includes(path.answered as number) && ticks.includes((path.asked as number) + 1), 'the ticks in between were sent');
});
