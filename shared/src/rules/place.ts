// Where things may go: an occupancy grid built fresh inside each step, and the placement of new
// snakes and food on it. Everything random here draws from the caller's seeded Rng.
// The grid is scratch memory reused between calls (the board size decides its length); it is
// never part of a GameState, so reusing it keeps step() pure while sparing the garbage collector.
// Tutorial: docs/tutorial/02-rules.md

import { FOOD_MAX, FOOD_MIN, SPAWN_ATTEMPTS, SPAWN_CLEARANCE, SPAWN_LOOKAHEAD, SPAWN_WALL_MARGIN, START_LENGTH } from '../constants.js';
import { Board } from '../board.js';
import { type Dir, opposite } from '../grid.js';
import type { Rng } from '../rng.js';
import type { RulesConfig } from './state.js';

export const FREE = 0;
export const SNAKE = 1;
export const STONE = 2;
export const FOOD = 3;

const scratch = new Map<number, Uint8Array>();

/** An all-FREE grid of width*height cells; the same array is handed out again next time. */
export function emptyGrid(width: number, height: number): Uint8Array {
  const size = width * height;
  let grid = scratch.get(size);
  if (grid === undefined) {
    grid = new Uint8Array(size);
    scratch.set(size, grid);
  } else {
    grid.fill(FREE);
  }
  return grid;
}

/** No snake within `radius` cells (Chebyshev) of `cell`? Across the edges where they wrap. */
function clearAround(grid: Uint8Array, cell: number, radius: number, board: Board): boolean {
  const { width, height } = board;
  const cx = board.x(cell);
  const cy = board.y(cell);
  // On a wrapping board a window wider than the board would visit cells twice: clamp it.
  const rx = board.wraps ? Math.min(radius, (width - 1) >> 1) : radius;
  const ry = board.wraps ? Math.min(radius, (height - 1) >> 1) : radius;
  for (let dy = -ry; dy <= ry; dy++) {
    let y = cy + dy;
    if (y < 0 || y >= height) {
      if (!board.wraps) continue;
      y = (y + height) % height;
    }
    for (let dx = -rx; dx <= rx; dx++) {
      let x = cx + dx;
      if (x < 0 || x >= width) {
        if (!board.wraps) continue;
        x = (x + width) % width;
      }
      if (grid[y * width + x] === SNAKE) return false;
    }
  }
  return true;
}

interface SpawnLevel {
  readonly margin: number;
  readonly lookahead: number;
  readonly clearance: number;
}

// Tried in order: the generous rule first, then looser ones so a crowded board still admits a
// player. Even the loosest keeps one free cell ahead, so nobody spawns into instant death.
const SPAWN_LEVELS: readonly SpawnLevel[] = [
  { margin: SPAWN_WALL_MARGIN, lookahead: SPAWN_LOOKAHEAD, clearance: SPAWN_CLEARANCE },
  { margin: 1, lookahead: 4, clearance: 1 },
  { margin: 0, lookahead: 1, clearance: 0 },
];

/** Can a snake be placed with its head on `head`, facing `dir`, under `level`'s rule? */
function fits(grid: Uint8Array, head: number, dir: Dir, level: SpawnLevel, board: Board): boolean {
  // The body trails behind the head: every cell away from the walls and empty (food included,
  // so a new snake never lies on food).
  let cell = head;
  for (let i = 0; i < START_LENGTH; i++) {
    if (cell < 0 || grid[cell] !== FREE || board.edgeDistance(cell) < level.margin) return false;
    if (level.clearance > 0 && !clearAround(grid, cell, level.clearance, board)) return false;
    if (i < START_LENGTH - 1) cell = board.neighbour(cell, opposite(dir));
  }
  // Open space ahead: no wall, stone or snake in the next `lookahead` cells.
  return runAhead(grid, head, dir, level.lookahead, board) === level.lookahead;
}

/** Free cells straight ahead of `head` in `dir` (stopping at a wall, stone or snake), up to `max`. */
function runAhead(grid: Uint8Array, head: number, dir: Dir, max: number, board: Board): number {
  let cell = head;
  for (let n = 0; n < max; n++) {
    cell = board.neighbour(cell, dir);
    if (cell < 0 || grid[cell] === SNAKE || grid[cell] === STONE) return n;
  }
  return max;
}

/**
 * Finds a place for a new snake of START_LENGTH cells and marks it SNAKE on the grid.
 * Of the facings that fit at a spot, it takes the one with the most open cells ahead.
 * Returns its body (head first) and facing, or null when the board has no room.
 */
export function placeSnake(grid: Uint8Array, config: RulesConfig, rng: Rng): { body: number[]; dir: Dir } | null {
  const board = Board.of(config);
  const { width, height } = board;
  const longest = Math.max(width, height);
  for (const level of SPAWN_LEVELS) {
    // With no walls there is no edge to keep away from: every cell may hold a head.
    const margin = board.wraps ? 0 : level.margin;
    const maxX = width - 1 - margin;
    const maxY = height - 1 - margin;
    if (maxX < margin || maxY < margin) continue;
    for (let attempt = 0; attempt < SPAWN_ATTEMPTS; attempt++) {
      const head = rng.int(margin, maxY) * width + rng.int(margin, maxX);
      const firstDir = rng.int(0, 3);
      let best: Dir | null = null;
      let bestRun = -1;
      for (let k = 0; k < 4; k++) {
        const dir = ((firstDir + k) & 3) as Dir;
        if (!fits(grid, head, dir, level, board)) continue;
        const run = runAhead(grid, head, dir, longest, board);
        if (run > bestRun) {
          best = dir;
          bestRun = run;
        }
      }
      if (best === null) continue;
      const body: number[] = [head];
      for (let i = 1; i < START_LENGTH; i++) {
        body.push(board.neighbour(body[i - 1]!, opposite(best)));
      }
      for (const c of body) grid[c] = SNAKE;
      return { body, dir: best };
    }
  }
  return null;
}

/** A random FREE cell, or -1 when there is none. Does not mark it. */
export function randomFreeCell(grid: Uint8Array, rng: Rng): number {
  // Random probing is O(1) on a roomy board; a scan keeps it correct on a full one.
  for (let attempt = 0; attempt < 32; attempt++) {
    const cell = rng.int(0, grid.length - 1);
    if (grid[cell] === FREE) return cell;
  }
  let free = 0;
  for (let c = 0; c < grid.length; c++) if (grid[c] === FREE) free++;
  if (free === 0) return -1;
  let pick = rng.int(0, free - 1);
  for (let c = 0; c < grid.length; c++) {
    if (grid[c] === FREE && pick-- === 0) return c;
  }
  return -1;
}

/** A food value: a digit FOOD_MIN..FOOD_MAX. */
export function foodValue(rng: Rng): number {
  return rng.int(FOOD_MIN, FOOD_MAX);
}
