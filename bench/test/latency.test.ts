// The latency scenario without a browser: the debug-hook check, the turn choice that keeps the
// snake alive, the PASS/MISS lines, and bench/latency-page.js's in-page timing driven by a fake
// window (a clock, animation frames and keydowns under the test's control).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';
import {
  type LatencySummary,
  type StallRun,
  chooseTurn,
  latencyTable,
  missingFields,
  missingFieldsMessage,
  runway,
  stallTable,
  steerAway,
  summarise,
  targetLines,
} from '../latency-report.ts';

const board = { width: 60, height: 40 };

test('missingFields names every issue 9 field the page lacks, and the message says what to do', () => {
  const old = { tick: 1, me: { alive: true, head: [1, 1], dir: 'up', body: [] } };
  assert.deepEqual(missingFields(old), [
    'me.drawnHead',
    'me.facing',
    'me.lastAck',
    'me.pending',
    'rtt',
    'buffer',
    'predict',
    'stallFrames',
  ]);
  const full = {
    ...old,
    me: { ...old.me, drawnHead: [1, 1.2], facing: 'up', lastAck: 0, pending: 0 },
    rtt: null,
    buffer: 100,
    predict: true,
    stallFrames: 0,
  };
  assert.deepEqual(missingFields(full), []);
  assert.deepEqual(missingFields({ ...full, me: null }), ['me (the page is not playing)']);
  assert.match(missingFields(undefined)[0]!, /__snakepit/);
  assert.match(missingFieldsMessage(['me.drawnHead', 'stallFrames']), /`me\.drawnHead`, `stallFrames`.*npm run build/);
});

test('chooseTurn turns toward the middle, perpendicular, and only with room ahead', () => {
  const body = [
    [10, 5],
    [9, 5],
    [8, 5],
  ] as const;
  // Heading right in the top-left quarter: the middle is below.
  assert.equal(chooseTurn(board, { head: [10, 5], dir: 'right', body }, 10), 'down');
  // Heading down in the right half: the middle is to the left.
  assert.equal(chooseTurn(board, { head: [50, 20], dir: 'down', body: [[50, 20]] }, 10), 'left');
  // Near the bottom wall the middle is up.
  assert.equal(chooseTurn(board, { head: [30, 37], dir: 'left', body: [[30, 37]] }, 10), 'up');
  // No room either way along the short axis of a thin board.
  assert.equal(chooseTurn({ width: 60, height: 5 }, { head: [30, 2], dir: 'left', body: [[30, 2]] }, 10), null);
  // The own body blocks the side toward the middle: take the other side if it has room.
  const wall = Array.from({ length: 5 }, (_, i) => [30, 21 + i] as const);
  assert.equal(chooseTurn(board, { head: [30, 20], dir: 'left', body: [[30, 20], ...wall] }, 10), 'up');
});

test('runway counts free cells to a wall or the body; steerAway turns only when close', () => {
  assert.equal(runway(board, [], [57, 10], 'right', 50), 2);
  assert.equal(runway(board, [[5, 3]], [5, 10], 'up', 50), 6);
  assert.equal(steerAway(board, { head: [30, 20], dir: 'right', body: [] }, 4), null);
  assert.equal(steerAway(board, { head: [57, 10], dir: 'right', body: [] }, 4), 'down');
  assert.equal(steerAway(board, { head: [57, 30], dir: 'right', body: [] }, 4), 'up');
});

const config = (predict: boolean, lagMs = 0) => ({ label: `lag ${lagMs} ${predict ? 'on' : 'off'}`, lagMs, jitterMs: 0, predict });

function run(predict: boolean, headMs: number[], facingMs: number[], dropped: ('died' | 'timeout')[] = [], frameMs = 16.7): LatencySummary {
  const frames = (ms: number) => Math.max(1, Math.ceil(ms / frameMs));
  return summarise({
    config: config(predict),
    samples: [
      ...headMs.map((h, i) => ({ headMs: h, facingMs: facingMs[i]!, headFrames: frames(h), facingFrames: frames(facingMs[i]!) })),
      ...dropped.map((d) => ({ dropped: d })),
    ],
    rttMs: 3,
    bufferMs: 100,
    frameP50Ms: frameMs,
    frameP95Ms: frameMs + 1,
  });
}

const stall = (buffered: boolean, stallFrames: number): StallRun => ({
  label: buffered ? 'buffer' : 'arrival',
  buffered,
  seconds: 60,
  frames: 3600,
  stallFrames,
  bufferMs: 100,
  snakes: 5,
});

test('summarise keeps timed presses and counts dropped ones; targets print PASS and MISS', () => {
  const fast = run(
    true,
    Array.from({ length: 20 }, (_, i) => 20 + i * 5),
    Array.from({ length: 20 }, () => 10),
    ['died', 'timeout', 'timeout'],
  );
  assert.equal(fast.head.count, 20);
  assert.equal(fast.died, 1);
  assert.equal(fast.timeouts, 2);
  assert.equal(fast.head.p95, 115);
  const slow = { ...run(true, [200, 250], [50, 60]), label: 'slow' };
  const off = run(false, [300], [300]);
  const slowPage = { ...run(true, [150, 180], [40, 45], [], 40), label: 'slow page' };
  const lines = targetLines([fast, slow, off, slowPage], [stall(true, 2), stall(false, 40)], 100);
  assert.deepEqual(lines, [
    '- lag 0 on: key -> head moving p95 <= 135 ms (one tick + two 60 Hz frames): 115 ms -> PASS',
    '- lag 0 on: facing changes within 2 frames, p95: frame 1 after the key (10 ms) -> PASS',
    '- slow: key -> head moving p95 <= 135 ms (one tick + two 60 Hz frames): 250 ms -> MISS',
    '- slow: facing changes within 2 frames, p95: frame 4 after the key (60 ms) -> MISS',
    '- slow page: key -> head moving p95 <= 135 ms (one tick + two 60 Hz frames): 180 ms -> MISS',
    "- slow page: the same with this page's frames (40.0 ms p50), p95 <= 180 ms: 180 ms -> PASS",
    '- slow page: facing changes within 2 frames, p95: frame 2 after the key (45 ms) -> PASS',
    '- stall frames per minute under jitter, jitter buffer vs arrival pacing, at least 10x fewer: 2.0 vs 40.0 (20.0x) -> PASS',
  ]);
  assert.match(targetLines([], [stall(true, 0), stall(false, 5)], 100)[0]!, /none with the buffer\) -> PASS$/);
  assert.match(targetLines([], [stall(true, 1), stall(false, 5)], 100)[0]!, /\(5\.0x\) -> MISS$/);
  assert.match(targetLines([], [stall(true, 0), stall(false, 0)], 100)[0]!, /INCONCLUSIVE$/);
  assert.match(latencyTable([fast]), /\| lag 0 on +\| +20 \(1, 2\) \| +70 \/ 115 \/ 115 \| +10 \/ 10 \/ 10 \| +1 \/ 1 \|/);
  assert.match(stallTable([stall(false, 40)]), /\| arrival \|.*\| +40 \| +40\.0 \| +1\.11% \|/);
});

// ---- bench/latency-page.js in a fake window ------------------------------------------------

type Me = { alive: boolean; drawnHead: [number, number]; facing: string };

function fakePage() {
  let now = 0;
  let frameCallback: (() => void) | null = null;
  const keydowns: ((e: { code: string }) => void)[] = [];
  const afterFrame: (() => void)[] = [];
  const state: { me: Me | null } = { me: { alive: true, drawnHead: [10, 5], facing: 'right' } };
  class FakeChannel {
    port1: { onmessage: ((e: { data: unknown }) => void) | null } = { onmessage: null };
    port2 = { postMessage: (data: unknown) => afterFrame.push(() => this.port1.onmessage?.({ data })) };
  }
  const sandbox: Record<string, unknown> = {
    performance: { now: () => now },
    requestAnimationFrame: (cb: () => void) => {
      frameCallback = cb;
    },
    addEventListener: (type: string, fn: (e: { code: string }) => void) => {
      if (type === 'keydown') keydowns.push(fn);
    },
    MessageChannel: FakeChannel,
  };
  sandbox.window = sandbox;
  Object.defineProperty(sandbox, '__snakepit', { get: () => ({ me: state.me && { ...state.me } }) });
  vm.runInNewContext(readFileSync(new URL('../latency-page.js', import.meta.url), 'utf8'), sandbox);
  const bench = sandbox.__snakepitBench as { arm(d: string, c: string, t: number): void; result(): Promise<unknown>; frames(): number };
  return {
    state,
    bench,
    at: (t: number) => {
      now = t;
    },
    key: (code: string) => {
      for (const fn of keydowns) fn({ code });
    },
    /** One animation frame at time `t`: the callbacks, then the game has drawn `me`, then posted messages. */
    frame: (t: number, me?: Partial<Me>) => {
      now = t;
      const cb = frameCallback;
      frameCallback = null;
      cb?.();
      if (me && state.me) Object.assign(state.me, me);
      for (const fn of afterFrame.splice(0)) fn();
    },
  };
}

test('the page times facing and the head from the keydown, at the frame that drew them', async () => {
  const p = fakePage();
  p.frame(0);
  p.bench.arm('up', 'ArrowUp', 3000);
  p.frame(90, { drawnHead: [10.4, 5] }); // before the press: not looked at
  p.at(100);
  p.key('ArrowDown'); // not the armed key: ignored
  p.at(101);
  p.key('ArrowUp');
  p.frame(110, { facing: 'up', drawnHead: [10.6, 5] });
  p.frame(127, { drawnHead: [10.8, 5] });
  p.frame(144, { drawnHead: [11, 4.97] }); // under the 0.05-cell threshold
  p.frame(160, { drawnHead: [11, 4.8] });
  assert.deepEqual({ ...((await p.bench.result()) as object) }, { headMs: 59, facingMs: 9, headFrames: 4, facingFrames: 1 });
  assert.equal(p.bench.frames(), 6);
});

test('the page drops a press whose snake died or whose head never turned', async () => {
  const p = fakePage();
  p.frame(0);
  p.bench.arm('down', 'ArrowDown', 500);
  p.at(10);
  p.key('ArrowDown');
  p.frame(20, { alive: false });
  assert.deepEqual({ ...((await p.bench.result()) as object) }, { dropped: 'died' });

  p.state.me = { alive: true, drawnHead: [3, 3], facing: 'left' };
  p.bench.arm('up', 'ArrowUp', 500);
  p.at(1000);
  p.key('ArrowUp');
  p.frame(1100, { facing: 'up' });
  p.frame(1600, { drawnHead: [2, 3] });
  assert.deepEqual({ ...((await p.bench.result()) as object) }, { dropped: 'timeout' });
});
