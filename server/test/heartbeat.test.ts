// The heartbeat pings every socket once per interval, a slice at a time, and drops the silent.
// On a fake clock: the times below are exact, however busy the machine.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { WebSocket } from 'ws';
import { Heartbeat } from '../src/heartbeat.ts';
import { FakeClock } from './fake-clock.ts';

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  pings: number[] = [];
  terminated = false;
  terminatedAt = -1;
  constructor(
    readonly answers: boolean,
    readonly clock: FakeClock,
  ) {
    super();
  }
  ping(): void {
    this.pings.push(this.clock.now());
    if (this.answers) this.emit('pong');
  }
  terminate(): void {
    this.terminated = true;
    this.terminatedAt = this.clock.now();
    this.readyState = 3;
    this.emit('close');
  }
}

test('each socket is pinged once per interval, in slices, and a silent one is terminated within two intervals', () => {
  const clock = new FakeClock();
  const beat = new Heartbeat(1000, clock); // 10 slices of 100 ms
  const sockets = Array.from({ length: 40 }, (_, i) => new FakeSocket(i !== 7, clock));
  for (const s of sockets) beat.watch(s as unknown as WebSocket);
  assert.equal(clock.pending, 1, 'one timer for all sockets');
  clock.advance(2000);
  const talkers = sockets.filter((s) => s.answers);
  assert.ok(
    talkers.every((s) => s.pings.length === 2),
    'pinged once per interval',
  );
  // Once per interval: every socket had its first ping before any had its second...
  const firsts = talkers.map((s) => s.pings[0]!);
  const seconds = talkers.map((s) => s.pings[1]!);
  assert.ok(Math.max(...firsts) < Math.min(...seconds), 'a round finishes before the next begins');
  for (const s of talkers) assert.equal(s.pings[1]! - s.pings[0]!, 1000, 'exactly one interval apart');
  // ...and a round is spread across the interval in slices, not sent all at one moment.
  assert.deepEqual(
    [...new Set(firsts)].sort((a, b) => a - b),
    [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000],
  );
  // The one that never answered was terminated at its second turn: within two intervals.
  assert.equal(sockets[7]!.terminated, true);
  assert.equal(sockets[7]!.pings.length, 1);
  assert.ok(sockets[7]!.terminatedAt <= 2000, `terminated at ${sockets[7]!.terminatedAt} ms`);
  assert.equal(sockets[7]!.terminatedAt - sockets[7]!.pings[0]!, 1000, 'one interval after its unanswered ping');
  assert.equal(beat.terminated, 1);
  for (const s of sockets) if (!s.terminated) s.terminate();
  assert.equal(beat.running, false, 'no sockets, no timer');
  assert.equal(clock.pending, 0);
});

test('a socket that answers late, but before its next turn, stays', () => {
  const clock = new FakeClock();
  const beat = new Heartbeat(500, clock); // 5 slices of 100 ms
  const late = new FakeSocket(false, clock);
  beat.watch(late as unknown as WebSocket);
  clock.advance(100); // pinged
  assert.equal(late.pings.length, 1);
  clock.advance(450);
  late.emit('pong'); // 450 ms later: inside the interval
  clock.advance(50); // its next turn
  assert.equal(late.terminated, false);
  assert.equal(late.pings.length, 2);
  clock.advance(500); // no answer this time
  assert.equal(late.terminated, true);
  assert.equal(beat.running, false);
});
