// The browser bench's reading of Chromium's trace, on hand-made traces: callbacks grouped into
// frames, thread CPU time kept apart from the wall clock, and only the page's main thread read.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tracedFrames } from '../client-frame.ts';

/** An animation-frame callback on thread `tid` at `ts` µs, `dur` µs of wall clock, `tdur` of CPU. */
const raf = (tid: number, ts: number, dur: number, tdur?: number) => ({
  name: 'FireAnimationFrame',
  cat: 'devtools.timeline',
  ph: 'X',
  pid: 1,
  tid,
  ts,
  dur,
  ...(tdur === undefined ? {} : { tdur }),
});

test("a frame's callbacks are summed, and a frame descheduled by the OS is slow by the wall clock but not in CPU time", () => {
  const events = [];
  // 20 frames 50 ms apart, each two callbacks back to back: 0.2 + 1.0 ms of CPU, and as long by
  // the wall clock, except the last frame, whose first callback lost its core for 6 ms.
  for (let i = 0; i < 20; i++) {
    const t = 1_000_000 + i * 50_000;
    const slow = i === 19 ? 6000 : 0;
    events.push(raf(7, t, 200 + slow, 200), raf(7, t + 200 + slow + 10, 1000, 1000));
  }
  // Another thread's few callbacks (another page) are not the page's.
  events.push(raf(9, 1_000_000, 50_000, 50_000), raf(9, 2_000_000, 50_000, 50_000));
  // Other events are ignored.
  events.push({ name: 'FunctionCall', cat: 'devtools.timeline', ph: 'X', pid: 1, tid: 7, ts: 1_000_010, dur: 90_000, tdur: 90_000 });
  const f = tracedFrames(JSON.stringify({ traceEvents: events }));
  assert.equal(f.frames, 20);
  assert.equal(f.cpuP50Ms, 1.2);
  assert.equal(f.cpuMaxMs, 1.2);
  assert.equal(f.wallP50Ms, 1.2);
  assert.equal(f.wallP95Ms, 7.2);
});

test('a trace without thread times gives no CPU figure rather than a wrong one', () => {
  const f = tracedFrames(JSON.stringify([raf(3, 0, 1500), raf(3, 30_000, 2500)]));
  assert.equal(f.frames, 2);
  assert.equal(f.cpuP95Ms, null);
  assert.equal(f.wallP95Ms, 2.5);
});
