// Smooth motion between ticks, as pure functions (tested without a DOM).
// The client renders about one tick behind the server: when tick N arrives the snakes are drawn
// where they were at tick N-1 (alpha 0) and glide to where tick N put them by the time tick N+1
// is due (alpha 1). Only the two ends of a snake move between ticks: the head slides from the
// neck cell into its new cell and the tail slides off the cell it just left. The cells in
// between stay put, so the body is drawn once per tick and only the ends are moved per frame.
// Tutorial: docs/tutorial/04-client.md

import type { MirrorSnake } from '@snakepit/shared';

/** A position in cell units: the centre of cell (x, y) is (x + 0.5, y + 0.5). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

export function centre(cell: number, width: number): Point {
  return { x: (cell % width) + 0.5, y: Math.floor(cell / width) + 0.5 };
}

export function lerp(a: Point, b: Point, t: number): Point {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

/** How far (0..1) the view is between the last tick and the next, given when the last arrived. */
export function tickAlpha(nowMs: number, lastTickAtMs: number, intervalMs: number): number {
  if (intervalMs <= 0) return 1;
  const a = (nowMs - lastTickAtMs) / intervalMs;
  return a < 0 ? 0 : a > 1 ? 1 : a;
}

export interface SnakeEnds {
  /** Where the head is drawn now. */
  readonly head: Point;
  /** The first body cell behind the head (the neck): the head is joined to it. */
  readonly neck: Point;
  /** The last body cell (the tail). */
  readonly tail: Point;
  /** Where the tail's end is drawn now: sliding from the cell it left toward `tail`. */
  readonly tailEnd: Point;
}

export function snakeEnds(snake: MirrorSnake, width: number, alpha: number): SnakeEnds {
  const { body } = snake;
  const headCell = centre(body[0]!, width);
  const neck = body.length > 1 ? centre(body[1]!, width) : headCell;
  const tail = centre(body[body.length - 1]!, width);
  const head = snake.moved && body.length > 1 ? lerp(neck, headCell, alpha) : headCell;
  const left = snake.trimmed[0];
  const tailEnd = left === undefined ? tail : lerp(centre(left, width), tail, alpha);
  return { head, neck, tail, tailEnd };
}

/** The points of the still part of the body (neck to tail), redrawn once per tick. */
export function bodyPoints(snake: MirrorSnake, width: number): Point[] {
  return snake.body.slice(1).map((cell) => centre(cell, width));
}
