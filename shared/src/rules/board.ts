// Where things may go: an occupancy grid built fresh inside each step, and the placement of new
// snakes and food on it. Everything random here draws from the caller's seeded Rng.
// The grid is scratch memory reused between calls (the board size decides its length); it is
// never part of a GameState, so reusing it keeps step() pure while sparing the garbage collector.
// Tutorial: docs/tutorial/01-rules.md

import {
  FOOD_MAX,
  FOOD_MIN,
  SPAWN_ATTEMPTS,
  SPAWN_CLEARANCE,
  SPAWN_LOOKAHEAD,
  SPAWN_WALL_MARGIN,
  START_LENGTH,
} from '../constants.js';
import { type Dir, neighbour, opposite } from '../grid.js';
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

/** Snake-free, stone-free cells within `radius` (Chebyshev) of `cell`? */
function clearAround(grid: Uint8Array, cell: number, radius: number, width: number, height: number): boolean {
  const cx = cell % width;
  const cy = Math.floor(cell / width);
  for (let y = Math.max(0, cy - radius); y <= Math.min(height - 1, cy + radius); y++) {
    for (let x = Math.max(0, cx - radius); x <= Math.min(width - 1, cx + radius); x++) {
      const c = grid[y * width + x];
      if (c === SNAKE) return false;
    }
  }
  return true;
}

function insideMargin(cell: number, margin: number, width: number, height: number): boolean {
  const x = cell % width;
  const y = Math.floor(cell / width);
  return x >= margin && y >= margin && x < width - margin && y < height - margin;
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
function fits(grid: Uint8Array, head: number, dir: Dir, level: SpawnLevel, config: RulesConfig): boolean {
  const { width, height } = config;
  // The body trails behind the head: every cell inside the margin and empty (food included, so
  // a new snake never lies on food).
  let cell = head;
  for (let i = 0; i < START_LENGTH; i++) {
    if (cell < 0 || grid[cell] !== FREE || !insideMargin(cell, level.margin, width, height)) return false;
    if (level.clearance > 0 && !clearAround(grid, cell, level.clearance, width, height)) return false;
    if (i < START_LENGTH - 1) cell = neighbour(cell, opposite(dir), width, height);
  }
  // Open space ahead: no wall, stone or snake in the next `lookahead` cells.
  return runAhead(grid, head, dir, level.lookahead, config) === level.lookahead;
}

/** Free cells straight ahead of `head` in `dir` (stopping at a wall, stone or snake), up to `max`. */
function runAhead(grid: Uint8Array, head: number, dir: Dir, max: number, config: RulesConfig): number {
  let cell = head;
  for (let n = 0; n < max; n++) {
    cell = neighbour(cell, dir, config.width, config.height);
    if (cell < 0 || grid[cell] === SNAKE || grid[cell] === STONE) return n;
  }
  return max;
}

/**
 * Finds a place for a new snake of START_LENGTH cells and marks it SNAKE on the grid.
 * Of the facings that fit at a spot, it takes the one with the most open cells ahead.
 * Returns its body (head first) and facing, or null when the board has no room.
 */
export function placeSnake(
  grid: Uint8Array,
  config: RulesConfig,
  rng: Rng,
): { body: number[]; dir: Dir } | null {
  const { width, height } = config;
  const longest = Math.max(width, height);
  for (const level of SPAWN_LEVELS) {
    const maxX = width - 1 - level.margin;
    const maxY = height - 1 - level.margin;
    if (maxX < level.margin || maxY < level.margin) continue;
    for (let attempt = 0; attempt < SPAWN_ATTEMPTS; attempt++) {
      const head = rng.int(level.margin, maxY) * width + rng.int(level.margin, maxX);
      const firstDir = rng.int(0, 3);
      let best: Dir | null = null;
      let bestRun = -1;
      for (let k = 0; k < 4; k++) {
        const dir = ((firstDir + k) & 3) as Dir;
        if (!fits(grid, head, dir, level, config)) continue;
        const run = runAhead(grid, head, dir, longest, config);
        if (run > bestRun) {
          best = dir;
          bestRun = run;
        }
      }
      if (best === null) continue;
      const body: number[] = [head];
      for (let i = 1; i < START_LENGTH; i++) {
        body.push(neighbour(body[i - 1]!, opposite(best), width, height));
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
