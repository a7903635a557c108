// Step 9, drawing between ticks: a tick moves a snake one whole cell, a few times a second, but
// the screen is redrawn sixty times a second. Drawn only when a tick arrives, a snake jumps; drawn
// one tick behind, it can glide from where it was to where it is: `alpha` is how far the page is
// through the tick (0 = the previous tick's picture, 1 = the latest). Pure, no DOM: the page
// imports it and the test calls it. The real one is client/src/state/interpolate.ts.
// Chapter: docs/tutorial/04-drawing.md

import { type Point, cellPoint } from '../page/draw.ts';

const lerp = (from: Point, to: Point, alpha: number): Point => [from[0] + (to[0] - from[0]) * alpha, from[1] + (to[1] - from[1]) * alpha];

/**
 * The points to draw for a snake whose body was `before` and is `after`, `alpha` of the way
 * through. A snake that moved one cell glides: its head from the old head cell to the new one,
 * its tail (unless it grew) from the old tail toward the cell before it. Anything else (a new
 * snake, a jump) is drawn where it is now.
 */
export function between(before: readonly number[] | undefined, after: readonly number[], alpha: number, width: number): Point[] {
  const at = (cell: number) => cellPoint(cell, width);
  const a = Math.min(1, Math.max(0, alpha));
  if (before === undefined || before.length === 0 || after[1] !== before[0]) return after.map(at);
  const head = lerp(at(before[0]!), at(after[0]!), a);
  if (after.length === before.length + 1) return [head, ...before.map(at)]; // grew: the tail stays
  if (after.length !== before.length) return after.map(at);
  const tail = before.length > 1 ? [lerp(at(before.at(-1)!), at(before.at(-2)!), a)] : [];
  return [head, ...before.slice(0, -1).map(at), ...tail];
}

/** How far through the tick a frame at `now` is, for a tick that arrived at `arrived`. */
export function progress(now: number, arrived: number, tickMs: number): number {
  return Math.min(1, Math.max(0, (now - arrived) / tickMs));
}
