// A bot's mind, as a pure function: given what it sees of its room, which way to go. Of the
// moves that are not a reversal it drops the deadly ones, then prefers the most room (a small
// flood fill, so it does not steer into a pocket), then the nearest food. Steps and distances go
// through the room's Board, so on a wrapping board a bot crosses the edge as the rules do.
// The server's bots (crew.ts) and the bench's load bots (bench/bots.ts) both steer with it.
// Must not: keep state between ticks. Tutorial: docs/tutorial/08-measuring.md (the bench).

import type { Board, Dir } from '@snakepit/shared';

/** What a bot sees of its room on one tick. */
export interface Sight {
  readonly board: Board;
  /** 1 where a head must not go (snake bodies, stones), else 0; one entry per cell. */
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

/** Farther than any food can be: what foodField gives a cell no food can reach. */
function unreachable(board: Board): number {
  return board.width + board.height;
}

/**
 * Steps from every cell to the nearest food, going round blocked cells (a breadth-first search
 * from all food cells at once): O(cells) per room per tick, however many bots read it.
 * Cells no food can reach get `width + height`. `out` and `queue` must hold one entry per cell.
 */
export function foodField(sight: Omit<Sight, 'foodDistance'>, out: Uint32Array, queue: Int32Array): Uint32Array {
  const { board, blocked } = sight;
  out.fill(unreachable(board));
  let head = 0;
  let tail = 0;
  for (const f of sight.food) {
    if (out[f] === 0) continue;
    out[f] = 0;
    queue[tail++] = f;
  }
  while (head < tail) {
    const cell = queue[head++]!;
    const d = out[cell]! + 1;
    for (let dir = 0; dir < 4; dir++) {
      const n = board.neighbour(cell, dir as Dir);
      if (n < 0 || blocked[n] || out[n]! <= d) continue;
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
function room(sight: Sight, start: number, limit: number, s: Scratch): number {
  const { board, blocked } = sight;
  const stamp = ++s.stamp;
  let head = 0;
  let tail = 0;
  s.queue[tail++] = start;
  s.seen[start] = stamp;
  while (head < tail && tail < limit) {
    const cell = s.queue[head++]!;
    for (let d = 0; d < 4; d++) {
      const n = board.neighbour(cell, d as Dir);
      if (n < 0 || blocked[n] || s.seen[n] === stamp) continue;
      s.seen[n] = stamp;
      s.queue[tail++] = n;
    }
  }
  return tail;
}

/** Straight on, right, left (a reversal is never a choice). */
const TURNS = [0, 1, 3] as const;
/** Every way, for a snake whose facing cannot be told (a one-cell body). */
const ANY = [0, 1, 2, 3] as const;

/** The way `body` is heading (from its second cell to its head), or null for a one-cell body. */
export function facing(board: Board, body: readonly number[]): Dir | null {
  return body.length > 1 ? board.dirBetween(body[1]!, body[0]!) : null;
}

/** The direction to move next (possibly the current one), or null when every move is fatal. */
export function chooseDir(sight: Sight, body: readonly number[], s: Scratch): Dir | null {
  const { board } = sight;
  const head = body[0]!;
  const ahead = facing(board, body);
  const want = Math.min(body.length + 8, 128);
  let best: Dir | null = null;
  let bestScore = -Infinity;
  for (const turn of ahead === null ? ANY : TURNS) {
    const dir = (((ahead ?? 0) + turn) & 3) as Dir;
    const next = board.neighbour(head, dir);
    if (next < 0 || sight.blocked[next]) continue;
    const space = room(sight, next, want, s);
    let nearest = unreachable(board);
    if (sight.foodDistance) nearest = sight.foodDistance[next]!;
    else {
      for (const f of sight.food) {
        const d = board.distance(next, f);
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
