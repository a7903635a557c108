// /metrics: the series an operator needs exist, and they move when people play.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, startServer } from './helpers.ts';

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`));
  assert.ok(line, `series ${series} missing`);
  return Number(line.split(' ').at(-1));
}

test('/metrics lists every series, and they move when two clients play', async (t) => {
  const { base, ws } = await startServer(t, { tickRate: 20 });
  const scrape = async () => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    return res.text();
  };
  const before = await scrape();
  for (const s of ['snakepit_rooms', 'snakepit_players', 'snakepit_spectators', 'snakepit_connections'])
    assert.equal(value(before, s), 0, s);
  for (const s of [
    'snakepit_ticks_total',
    'snakepit_messages_in_total',
    'snakepit_messages_out_total',
    'snakepit_bytes_out_total',
    'snakepit_sends_skipped_total',
    'snakepit_tick_duration_seconds_count',
    'snakepit_tick_lateness_seconds_count',
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_seconds',
  ]) {
    value(before, s);
  }

  const ann = await connect(ws('metered'));
  const bob = await connect(ws('metered'));
  const eve = await connect(ws('metered'));
  ann.send({ type: 'join', name: 'ann' });
  bob.send({ type: 'join', name: 'bob' });
  await bob.next('joined');
  await ann.next('tick', (m) => m.tick >= 5);

  const during = await scrape();
  assert.equal(value(during, 'snakepit_rooms'), 1);
  assert.equal(value(during, 'snakepit_players'), 2);
  assert.equal(value(during, 'snakepit_spectators'), 1);
  assert.equal(value(during, 'snakepit_connections'), 3);
  assert.ok(value(during, 'snakepit_ticks_total') >= 5);
  assert.equal(value(during, 'snakepit_messages_in_total'), 2);
  assert.ok(value(during, 'snakepit_messages_out_total') >= 3 * 5);
  assert.ok(value(during, 'snakepit_bytes_out_total') > value(before, 'snakepit_bytes_out_total'));
  assert.ok(value(during, 'snakepit_tick_duration_seconds_count') >= 5);
  assert.ok(value(during, 'snakepit_tick_lateness_seconds_count') >= 5);
  // Counters only go up between scrapes.
  const again = await scrape();
  assert.ok(value(again, 'snakepit_messages_out_total') >= value(during, 'snakepit_messages_out_total'));

  await Promise.all([ann.close(), bob.close(), eve.close()]);
});
