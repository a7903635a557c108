// The pure half of `npm run bench -- --latency` (bench/latency.ts drives the browser): which
// debug-hook fields the scenario needs, which way to turn so the snake stays alive, and how
// samples become percentiles, tables and PASS/MISS lines against issue 9's targets.
// Must not: touch a browser, a process or the clock (bench/test/latency.test.ts runs it as is).
// Tutorial: docs/tutorial/08-measuring.md; bench/README.md says what every number means.

import { fmt, markdownTable, percentile } from './stats.ts';

export type DirName = 'up' | 'right' | 'down' | 'left';

/** Two frames at 60 Hz, with the slack the issue allows ("about 135 ms" at 10 ticks/s). */
export const TWO_FRAMES_MS = 35;
/** "Within two frames": the head faces the new way by the second frame begun after the key. */
export const FACING_FRAMES_TARGET = 2;
/** A page drawing slower than this (ms per frame, p50) gets the frame-aware head target too. */
const SLOW_FRAME_MS = 20;
/** Stall frames with arrival pacing over stall frames with the jitter buffer, at least. */
export const STALL_RATIO_TARGET = 10;

// ---- the page's debug hook -------------------------------------------------------------------

/** What the scenario reads from window.__snakepit (issue 9's fields included). */
export interface LatencyView {
  tick: number;
  board: { width: number; height: number; walls: string } | null;
  tickRate: number | null;
  connected: boolean;
  me: {
    alive: boolean;
    head: readonly [number, number] | null;
    dir: DirName | null;
    body: readonly (readonly [number, number])[];
    drawnHead: readonly [number, number] | null;
    facing: DirName | null;
    lastAck: number;
    pending: number;
  } | null;
  players: readonly { id: number; alive: boolean }[];
  rtt: number | null;
  buffer: number;
  predict: boolean;
  stallFrames: number;
}

/** The issue 9 fields the scenario needs: [path, where it lives]. */
const NEEDED: readonly [string, (v: Record<string, unknown>, me: Record<string, unknown>) => boolean][] = [
  ['me.drawnHead', (_v, me) => 'drawnHead' in me],
  ['me.facing', (_v, me) => 'facing' in me],
  ['me.lastAck', (_v, me) => typeof me.lastAck === 'number'],
  ['me.pending', (_v, me) => typeof me.pending === 'number'],
  ['rtt', (v) => 'rtt' in v],
  ['buffer', (v) => typeof v.buffer === 'number'],
  ['predict', (v) => typeof v.predict === 'boolean'],
  ['stallFrames', (v) => typeof v.stallFrames === 'number'],
];

/**
 * The debug-hook fields missing from a view read while playing (`me` must be set), by name;
 * empty when the page has everything the scenario reads.
 */
export function missingFields(view: unknown): string[] {
  if (!view || typeof view !== 'object') return ['window.__snakepit (is the page opened with ?debug=1?)'];
  const v = view as Record<string, unknown>;
  const me = v.me && typeof v.me === 'object' ? (v.me as Record<string, unknown>) : null;
  if (!me) return ['me (the page is not playing)'];
  return NEEDED.filter(([, has]) => !has(v, me)).map(([name]) => name);
}

/** The error a run fails with when the page lacks the fields (before issue 9's client lands). */
export function missingFieldsMessage(missing: readonly string[]): string {
  return (
    `window.__snakepit lacks ${missing.map((m) => `\`${m}\``).join(', ')}: the page's debug hook (client/src/debug.ts) does not ` +
    'expose the prediction and jitter-buffer fields this scenario reads yet. Build a client that has them (`npm run build`) and run again.'
  );
}

// ---- steering --------------------------------------------------------------------------------

const STEP: Record<DirName, readonly [number, number]> = { up: [0, -1], right: [1, 0], down: [0, 1], left: [-1, 0] };
/** [index into [x, y], sign]: the axis a direction moves along and which way. */
export const AXIS: Record<DirName, readonly [0 | 1, 1 | -1]> = { up: [1, -1], right: [0, 1], down: [1, 1], left: [0, -1] };

/** Free cells straight ahead of `from` going `dir` (walls and the snake's own body block), up to `cap`. */
export function runway(
  board: { width: number; height: number },
  body: readonly (readonly [number, number])[],
  from: readonly [number, number],
  dir: DirName,
  cap: number,
): number {
  const [dx, dy] = STEP[dir];
  let n = 0;
  for (let x = from[0] + dx, y = from[1] + dy; n < cap; x += dx, y += dy) {
    if (x < 0 || y < 0 || x >= board.width || y >= board.height) break;
    if (body.some(([bx, by]) => bx === x && by === y)) break;
    n++;
  }
  return n;
}

/**
 * The way to turn for the next sample: perpendicular to `dir`, toward the board's middle when
 * that has at least `minRun` free cells ahead, else the other side if it has; null when neither
 * does (wait and ask again). Always turning toward the middle keeps the snake circling there,
 * far from the walls, on legs longer than its body.
 */
export function chooseTurn(
  board: { width: number; height: number },
  me: { head: readonly [number, number]; dir: DirName; body: readonly (readonly [number, number])[] },
  minRun: number,
): DirName | null {
  const sides: readonly [DirName, DirName] = me.dir === 'up' || me.dir === 'down' ? ['left', 'right'] : ['up', 'down'];
  const axis = AXIS[sides[0]][0];
  const middle = ((axis === 0 ? board.width : board.height) - 1) / 2;
  const towardMiddle = me.head[axis] > middle ? sides.find((d) => AXIS[d][1] < 0)! : sides.find((d) => AXIS[d][1] > 0)!;
  const other = towardMiddle === sides[0] ? sides[1] : sides[0];
  for (const d of [towardMiddle, other]) if (runway(board, me.body, me.head, d, minRun) >= minRun) return d;
  return null;
}

/**
 * Between samples: the way to turn when fewer than `near` cells ahead are free (the side with
 * the longer runway), else null (keep going).
 */
export function steerAway(
  board: { width: number; height: number },
  me: { head: readonly [number, number]; dir: DirName; body: readonly (readonly [number, number])[] },
  near: number,
): DirName | null {
  if (runway(board, me.body, me.head, me.dir, near) >= near) return null;
  const sides: readonly [DirName, DirName] = me.dir === 'up' || me.dir === 'down' ? ['left', 'right'] : ['up', 'down'];
  const cap = Math.max(board.width, board.height);
  return runway(board, me.body, me.head, sides[0], cap) >= runway(board, me.body, me.head, sides[1], cap) ? sides[0] : sides[1];
}

// ---- results ---------------------------------------------------------------------------------

/** One page configuration of the key-to-head part. */
export interface LatencyConfig {
  readonly label: string;
  readonly lagMs: number;
  readonly jitterMs: number;
  readonly predict: boolean;
}

/**
 * One key press as the page timed it: ms from the keydown to the frame that drew the change, and
 * which frame that was (1 = the first begun after the keydown); or why it was dropped.
 */
export type Timed = { headMs: number; facingMs: number; headFrames: number; facingFrames: number };
export type Sample = Timed | { dropped: 'died' | 'timeout' };

export interface LatencyRun {
  readonly config: LatencyConfig;
  readonly samples: readonly Sample[];
  /** Means over the samples' moments of the debug hook's rtt and buffer (ms; null: never known). */
  readonly rttMs: number | null;
  readonly bufferMs: number | null;
  /** requestAnimationFrame intervals in the page while sampling. */
  readonly frameP50Ms: number;
  readonly frameP95Ms: number;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) ?? Number.NaN };
}

export interface LatencySummary {
  readonly label: string;
  readonly config: LatencyConfig;
  readonly head: Percentiles;
  readonly facing: Percentiles;
  /** Frames begun after the key until the head was drawn facing the new way. */
  readonly facingFrames: Percentiles;
  readonly died: number;
  readonly timeouts: number;
  readonly rttMs: number | null;
  readonly bufferMs: number | null;
  readonly frameP50Ms: number;
  readonly frameP95Ms: number;
}

export function summarise(run: LatencyRun): LatencySummary {
  const kept = run.samples.filter((s): s is Timed => 'headMs' in s);
  const dropped = (why: string) => run.samples.filter((s) => 'dropped' in s && s.dropped === why).length;
  return {
    label: run.config.label,
    config: run.config,
    head: percentiles(kept.map((s) => s.headMs)),
    facing: percentiles(kept.map((s) => s.facingMs)),
    facingFrames: percentiles(kept.map((s) => s.facingFrames)),
    died: dropped('died'),
    timeouts: dropped('timeout'),
    rttMs: run.rttMs,
    bufferMs: run.bufferMs,
    frameP50Ms: run.frameP50Ms,
    frameP95Ms: run.frameP95Ms,
  };
}

/** The stall-frame part: one page with the jitter buffer, one with arrival pacing. */
export interface StallRun {
  readonly label: string;
  readonly buffered: boolean;
  readonly seconds: number;
  readonly frames: number;
  readonly stallFrames: number;
  /** Mean of the hook's `buffer` (ms) over the window. */
  readonly bufferMs: number;
  /** Snakes moving in the room (mean over the window, others and own). */
  readonly snakes: number;
}

export function stallsPerMinute(r: StallRun): number {
  return r.seconds > 0 ? (r.stallFrames / r.seconds) * 60 : Number.NaN;
}

const ms = (p: Percentiles) => (p.count ? `${fmt(p.p50, 0)} / ${fmt(p.p95, 0)} / ${fmt(p.max, 0)}` : '-');

export function latencyTable(rows: readonly LatencySummary[]): string {
  return markdownTable(
    [
      'page',
      'samples kept (died, timed out)',
      'key -> head moving p50 / p95 / max (ms)',
      'key -> facing p50 / p95 / max (ms)',
      'facing: frame after the key p50 / p95',
      'rtt (ms)',
      'buffer (ms)',
      'frame interval p50 / p95 (ms)',
    ],
    rows.map((r) => [
      r.label,
      `${r.head.count} (${r.died}, ${r.timeouts})`,
      ms(r.head),
      ms(r.facing),
      r.facingFrames.count ? `${r.facingFrames.p50} / ${r.facingFrames.p95}` : '-',
      fmt(r.rttMs, 0),
      fmt(r.bufferMs, 0),
      `${fmt(r.frameP50Ms, 1)} / ${fmt(r.frameP95Ms, 1)}`,
    ]),
  );
}

export function stallTable(rows: readonly StallRun[]): string {
  return markdownTable(
    ['page', 'window (s)', 'frames', 'moving snakes (mean)', 'stall frames', 'stall frames per minute', '% of frames', 'buffer (ms, mean)'],
    rows.map((r) => [
      r.label,
      fmt(r.seconds, 1),
      String(r.frames),
      fmt(r.snakes, 1),
      String(r.stallFrames),
      fmt(stallsPerMinute(r), 1),
      `${fmt(r.frames ? (r.stallFrames / r.frames) * 100 : Number.NaN, 2)}%`,
      fmt(r.bufferMs, 0),
    ]),
  );
}

/** PASS/MISS lines for issue 9's targets; `tickMs` is the room's tick interval. */
export function targetLines(latency: readonly LatencySummary[], stalls: readonly StallRun[], tickMs: number): string[] {
  const lines: string[] = [];
  const headTarget = tickMs + TWO_FRAMES_MS;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  for (const r of latency.filter((l) => l.config.predict)) {
    if (!r.head.count) {
      lines.push(`- ${r.label}: key -> head moving p95 <= ${fmt(headTarget, 0)} ms (one tick + two 60 Hz frames): no sample -> MISS`);
      continue;
    }
    lines.push(
      `- ${r.label}: key -> head moving p95 <= ${fmt(headTarget, 0)} ms (one tick + two 60 Hz frames): ${fmt(r.head.p95, 0)} ms -> ${verdict(r.head.p95 <= headTarget)}`,
    );
    if (r.frameP50Ms > SLOW_FRAME_MS) {
      // The page drew slower than 60 Hz (a software-rendered headless page on a busy machine):
      // the same target counted in this page's own frames.
      const own = tickMs + 2 * r.frameP50Ms;
      lines.push(
        `- ${r.label}: the same with this page's frames (${fmt(r.frameP50Ms, 1)} ms p50), p95 <= ${fmt(own, 0)} ms: ${fmt(r.head.p95, 0)} ms -> ${verdict(r.head.p95 <= own)}`,
      );
    }
    lines.push(
      `- ${r.label}: facing changes within ${FACING_FRAMES_TARGET} frames, p95: frame ${r.facingFrames.p95} after the key (${fmt(r.facing.p95, 0)} ms) -> ${verdict(r.facingFrames.p95 <= FACING_FRAMES_TARGET)}`,
    );
  }
  const buffered = stalls.find((s) => s.buffered);
  const arrival = stalls.find((s) => !s.buffered);
  if (buffered && arrival) {
    const b = stallsPerMinute(buffered);
    const a = stallsPerMinute(arrival);
    const what = `stall frames per minute under jitter, jitter buffer vs arrival pacing, at least ${STALL_RATIO_TARGET}x fewer`;
    if (a === 0) lines.push(`- ${what}: ${fmt(b, 1)} vs ${fmt(a, 1)}: arrival pacing did not stall either -> INCONCLUSIVE`);
    else {
      const ratio = b === 0 ? Number.POSITIVE_INFINITY : a / b;
      lines.push(
        `- ${what}: ${fmt(b, 1)} vs ${fmt(a, 1)} (${b === 0 ? 'none with the buffer' : `${fmt(ratio, 1)}x`}) -> ${verdict(ratio >= STALL_RATIO_TARGET)}`,
      );
    }
  }
  return lines;
}
