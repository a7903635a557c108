// The heartbeat pings every socket once per interval, a slice at a time, and drops the silent.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { WebSocket } from 'ws';
import { Heartbeat } from '../src/heartbeat.ts';

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  pings: number[] = [];
  terminated = false;
  constructor(readonly answers: boolean) {
    super();
  }
  ping(): void {
    this.pings.push(performance.now());
    if (this.answers) queueMicrotask(() => this.emit('pong'));
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
}

test('each socket is pinged once per interval, in slices, and a silent one is terminated', async () => {
  const beat = new Heartbeat(1000); // 10 slices of 100 ms
  const sockets = Array.from({ length: 40 }, (_, i) => new FakeSocket(i !== 7));
  for (const s of sockets) beat.watch(s as unknown as WebSocket);
  const talkers = sockets.filter((s) => s.answers);
  while (!talkers.every((s) => s.pings.length >= 2)) await new Promise((r) => setTimeout(r, 50));
  // Once per interval: every socket had its first ping before any had its second...
  const firsts = talkers.map((s) => s.pings[0]!);
  const seconds = talkers.map((s) => s.pings[1]!);
  assert.ok(Math.max(...firsts) < Math.min(...seconds), 'a round finishes before the next begins');
  // ...and a round is spread across the interval in slices, not sent all at one moment.
  assert.ok(Math.max(...firsts) - Math.min(...firsts) >= 500, 'spread across the interval');
  // The one that never answered was terminated at its second turn.
  assert.equal(sockets[7]!.terminated, true);
  assert.equal(sockets[7]!.pings.length, 1);
  assert.equal(beat.terminated, 1);
  for (const s of sockets) if (!s.terminated) s.terminate();
  assert.equal(beat.running, false, 'no sockets, no timer');
});
