// A bot's mind, as a pure function: given the board and its snake, which way to go.
// It looks at the three moves that are not a reversal, throws out the deadly ones, and of the
// rest prefers the one that leaves it the most room (a small flood fill, so it does not steer
// into a pocket) and then the one nearest to food. Cheap enough to run for thousands of bots:
// in a crowded room (thousands of food cells) the nearest food comes from a distance field that
// foodField() computes once per room per tick, instead of every bot scanning every food cell.

import { type Dir, dirBetween, neighbour } from '@snakepit/shared';

export interface Board {
  readonly width: number;
  readonly height: number;
  /** 1 where a head must not go (snake bodies, stones), else 0. */
  readonly blocked: Uint8Array;
  /** Food cells. */
  readonly food: readonly number[];
  /** Steps from each cell to the nearest food (foodField()); when left out, `food` is scanned. */
  readonly foodDistance?: Uint32Array;
}

/**
 * Whether a distance field is cheaper than scanning: the field costs about this many
 * operations per board cell, a scan one per (bot, candidate move, food cell).
 */
const FIELD_COST_PER_CELL = 8;
export function foodFieldPays(cells: number, bots: number, food: number): boolean {
  return bots * 3 * food > cells * FIELD_COST_PER_CELL;
}

/**
 * Steps from every cell to the nearest food, going round blocked cells (a breadth-first search
 * from all food cells at once): O(cells) per room per tick, however many bots read it.
 * Cells no food can reach get `width + height`. `queue` must hold width * height cells.
 */
export function foodField(board: Omit<Board, 'foodDistance'>, out: Uint32Array, queue: Int32Array): Uint32Array {
  const far = board.width + board.height;
  out.fill(far);
  let head = 0;
  let tail = 0;
  for (const f of board.food) {
    if (out[f] === 0) continue;
    out[f] = 0;
    queue[tail++] = f;
  }
  while (head < tail) {
    const cell = queue[head++]!;
    const d = out[cell]! + 1;
    for (let dir = 0; dir < 4; dir++) {
      const n = neighbour(cell, dir as Dir, board.width, board.height);
      if (n < 0 || board.blocked[n] || out[n]! <= d) continue;
      out[n] = d;
      queue[tail++] = n;
    }
  }
  return out;
}

/** Scratch for flood fills: a visit stamp per cell, so nothing is cleared between fills. */
export class Scratch {
  stamp = 0;
  seen: Uint32Array;
  queue: Int32Array;
  constructor(size: number) {
    this.seen = new Uint32Array(size);
    this.queue = new Int32Array(size);
  }
}

/** Cells reachable from `start` without crossing a blocked cell, counted up to `limit`. */
function room(board: Board, start: number, limit: number, s: Scratch): number {
  const stamp = ++s.stamp;
  let head = 0;
  let tail = 0;
  s.queue[tail++] = start;
  s.seen[start] = stamp;
  while (head < tail && tail < limit) {
    const cell = s.queue[head++]!;
    for (let d = 0; d < 4; d++) {
      const n = neighbour(cell, d as Dir, board.width, board.height);
      if (n < 0 || board.blocked[n] || s.seen[n] === stamp) continue;
      s.seen[n] = stamp;
      s.queue[tail++] = n;
    }
  }
  return tail;
}

function distance(a: number, b: number, width: number): number {
  return Math.abs((a % width) - (b % width)) + Math.abs(Math.floor(a / width) - Math.floor(b / width));
}

/** Straight on, right, left (a reversal is never a choice). */
const TURNS = [0, 1, 3] as const;

/** The direction to move next (possibly the current one), or null when every move is fatal. */
export function chooseDir(board: Board, body: readonly number[], s: Scratch): Dir | null {
  const head = body[0]!;
  const facing = body.length > 1 ? dirBetween(body[1]!, head, board.width) : 0;
  const want = Math.min(body.length + 8, 64);
  let best: Dir | null = null;
  let bestScore = -Infinity;
  for (const turn of TURNS) {
    const dir = ((facing + turn) & 3) as Dir;
    const next = neighbour(head, dir, board.width, board.height);
    if (next < 0 || board.blocked[next]) continue;
    const space = room(board, next, want, s);
    let nearest = board.width + board.height;
    if (board.foodDistance) nearest = board.foodDistance[next]!;
    else {
      for (const f of board.food) {
        const d = distance(next, f, board.width);
        if (d < nearest) nearest = d;
      }
    }
    // Room first (a trapped snake is a dead snake), then food, then going straight.
    const score = (space >= want ? 1000 : space * 10) - nearest + (turn === 0 ? 0.5 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = dir;
    }
  }
  return best;
}
