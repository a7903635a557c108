// Smooth motion between ticks, as pure functions (tested without a DOM).
// A shown tick N is drawn from where tick N-1 left the snakes (alpha 0) to where tick N put
// them (alpha 1); alpha comes from the render clock (tick-clock.ts), or from arrival times with
// ?buffer=0. Only the two ends of a snake move between ticks: the head slides from the
// neck cell into its new cell and the tail slides off the cell it just left. The cells in
// between stay put, so the body is drawn once per tick and only the ends are moved per frame.
// On a board whose walls wrap, a step across the edge is drawn one cell long, running out past
// the edge (the renderer clips there) and, shifted by the board's size, in at the other side:
// never a line across the board. Cell arithmetic is the Board's; nothing here does `% width`.
// Tutorial: docs/tutorial/04-drawing.md

import type { Board, MirrorSnake } from '@snakepit/shared';

/** A position in cell units: the centre of cell (x, y) is (x + 0.5, y + 0.5). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

export function centre(cell: number, board: Board): Point {
  return { x: board.x(cell) + 0.5, y: board.y(cell) + 0.5 };
}

export function lerp(a: Point, b: Point, t: number): Point {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

/**
 * Where `to` lies as seen from `from`: on a wrapping board, the copy of `to` (shifted by the
 * board's width or height) nearest to `from`, so a neighbour across the edge sits one cell past
 * it. On a solid board, and whenever no shift brings it closer, `to` itself.
 */
export function seenFrom(from: Point, to: Point, board: Board): Point {
  if (!board.wraps) return to;
  const dx = shift(to.x - from.x, board.width);
  const dy = shift(to.y - from.y, board.height);
  return dx === 0 && dy === 0 ? to : { x: to.x + dx, y: to.y + dy };
}

/** The multiple of `size` that brings a difference `d` closest to zero. */
function shift(d: number, size: number): number {
  if (d > size / 2) return -size;
  if (d < -size / 2) return size;
  return 0;
}

/** How far one point was moved to get another: `b - a`, or null when they are the same. */
function offset(a: Point, b: Point): Point | null {
  return a === b ? null : { x: b.x - a.x, y: b.y - a.y };
}

/** How far (0..1) the view is between the last tick and the next, given when the last arrived. */
export function tickAlpha(nowMs: number, lastTickAtMs: number, intervalMs: number): number {
  if (intervalMs <= 0) return 1;
  return Math.min(1, Math.max(0, (nowMs - lastTickAtMs) / intervalMs));
}

export interface SnakeEnds {
  /** Where the head is drawn now, seen from the neck: just past the edge while it crosses one. */
  readonly head: Point;
  /** The first body cell behind the head (the neck): the head is joined to it. */
  readonly neck: Point;
  /** The head's cell as seen from the neck: the head faces from `neck` toward it. */
  readonly headTo: Point;
  /** The last body cell (the tail). */
  readonly tail: Point;
  /** Where the tail's end is drawn now: sliding from the cell it left toward `tail`. */
  readonly tailEnd: Point;
  /**
   * When the neck-to-head step crosses a wrapping edge: the shift that draws (neck, head) a
   * second time, coming in at the other side. Null when the step stays on the board.
   */
  readonly headWrap: Point | null;
  /** Likewise for (tail, tailEnd) when the tail's last step crossed the edge. */
  readonly tailWrap: Point | null;
}

export function snakeEnds(snake: MirrorSnake, board: Board, alpha: number): SnakeEnds {
  const { body } = snake;
  const headCell = centre(body[0]!, board);
  const neck = body.length > 1 ? centre(body[1]!, board) : headCell;
  const headTo = seenFrom(neck, headCell, board);
  const head = snake.moved && body.length > 1 ? lerp(neck, headTo, alpha) : headTo;
  const tail = centre(body[body.length - 1]!, board);
  const left = snake.trimmed[0];
  let tailEnd = tail;
  let tailWrap: Point | null = null;
  if (left !== undefined) {
    const leftCell = centre(left, board);
    const from = seenFrom(tail, leftCell, board);
    tailEnd = lerp(from, tail, alpha);
    tailWrap = offset(from, leftCell);
  }
  return { head, neck, headTo, tail, tailEnd, headWrap: offset(headTo, headCell), tailWrap };
}

/**
 * The still part of the body (neck to tail), redrawn once per tick, as polylines. One line on a
 * solid board; on a wrapping board a new line starts at each step across the edge, the old one
 * running one cell past the edge and the new one starting one cell before the other edge.
 */
export function bodyRuns(snake: MirrorSnake, board: Board): Point[][] {
  const runs: Point[][] = [];
  let run: Point[] = [];
  let prev: Point | null = null;
  for (let i = 1; i < snake.body.length; i++) {
    const p = centre(snake.body[i]!, board);
    if (prev) {
      const out = seenFrom(prev, p, board);
      if (out !== p) {
        run.push(out);
        runs.push(run);
        run = [seenFrom(p, prev, board)];
      }
    }
    run.push(p);
    prev = p;
  }
  if (run.length) runs.push(run);
  return runs;
}
