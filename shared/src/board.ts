// The board as a value: its size, what its edge does, and the arithmetic of cells on it.
// A cell is one integer, `y * width + x`: cheap to hash, to compare and to send on the wire.
// Every question about where a cell is or what lies next to it is answered here, so a board
// whose walls wrap around is one rule in one file, not a `% width` in every module.
// Must not: hold game state. A Board is made from the room's rules and never changes.
// Tutorial: docs/tutorial/02-rules.md

import { type Dir, DOWN, LEFT, RIGHT, UP } from './grid.js';

/** What the edge of the board does: kill a snake that runs into it, or lead to the far side. */
export const WALL_MODES = ['solid', 'wrap'] as const;
export type Walls = (typeof WALL_MODES)[number];

/** A board as it travels in `welcome` and snapshots: plain data. */
export interface BoardSpec {
  /** Size in cells. */
  readonly width: number;
  readonly height: number;
  readonly walls: Walls;
}

const DX = [0, 1, 0, -1] as const;
const DY = [-1, 0, 1, 0] as const;

export class Board implements BoardSpec {
  readonly width: number;
  readonly height: number;
  readonly walls: Walls;
  /** Cells on the board: width * height. */
  readonly cells: number;
  readonly wraps: boolean;

  constructor(spec: BoardSpec) {
    if (!(Number.isInteger(spec.width) && spec.width >= 1 && Number.isInteger(spec.height) && spec.height >= 1)) {
      throw new RangeError(`a board is at least 1x1 whole cells, not ${spec.width}x${spec.height}`);
    }
    this.width = spec.width;
    this.height = spec.height;
    this.walls = spec.walls;
    this.cells = spec.width * spec.height;
    this.wraps = spec.walls === 'wrap';
  }

  /** One Board per spec object: rules configs are frozen and live as long as their room. */
  static of(spec: BoardSpec): Board {
    if (spec instanceof Board) return spec;
    let board = cache.get(spec);
    if (board === undefined) {
      board = new Board(spec);
      cache.set(spec, board);
    }
    return board;
  }

  /** The plain description, for messages. */
  spec(): BoardSpec {
    return { width: this.width, height: this.height, walls: this.walls };
  }

  cell(x: number, y: number): number {
    return y * this.width + x;
  }

  x(cell: number): number {
    return cell % this.width;
  }

  y(cell: number): number {
    return Math.floor(cell / this.width);
  }

  /** Is `cell` a cell of this board (a whole number in 0..cells-1)? */
  contains(cell: number): boolean {
    return Number.isInteger(cell) && cell >= 0 && cell < this.cells;
  }

  /**
   * The cell one step from `cell` in direction `d`. Off a solid edge that is -1 (the wall);
   * on a wrapping board it is the cell on the opposite edge.
   */
  neighbour(cell: number, d: Dir): number {
    let x = (cell % this.width) + DX[d];
    let y = Math.floor(cell / this.width) + DY[d];
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) {
      if (!this.wraps) return -1;
      x = (x + this.width) % this.width;
      y = (y + this.height) % this.height;
    }
    return y * this.width + x;
  }

  /**
   * Which way leads from `from` to `to` in one step, or null when `to` is not a neighbour.
   * (Refusing is the point: a guess would turn a bug elsewhere into a snake that jumps.)
   */
  dirBetween(from: number, to: number): Dir | null {
    // Guess from the difference, then confirm, so a row change (x = width-1 to x = 0 is +1
    // too) is only taken for a step where the board wraps.
    const w = this.width;
    const guess = to === from - w ? UP : to === from + 1 ? RIGHT : to === from + w ? DOWN : to === from - 1 ? LEFT : null;
    if (guess !== null && this.neighbour(from, guess) === to) return guess;
    if (!this.wraps && this.width > 1) return null;
    // Across a wrapping edge, or a 1-wide board where +1 and +width coincide.
    for (let d = 0; d < 4; d++) if (this.neighbour(from, d as Dir) === to) return d as Dir;
    return null;
  }

  adjacent(a: number, b: number): boolean {
    return this.dirBetween(a, b) !== null;
  }

  /** Steps from `a` to `b` with no obstacles (Manhattan, across the edges where they wrap). */
  distance(a: number, b: number): number {
    let dx = Math.abs(this.x(a) - this.x(b));
    let dy = Math.abs(this.y(a) - this.y(b));
    if (this.wraps) {
      dx = Math.min(dx, this.width - dx);
      dy = Math.min(dy, this.height - dy);
    }
    return dx + dy;
  }

  /** Distance from `cell` to the nearest edge, in cells (0 on the edge). Infinite when edges wrap. */
  edgeDistance(cell: number): number {
    if (this.wraps) return Number.POSITIVE_INFINITY;
    const x = this.x(cell);
    const y = this.y(cell);
    return Math.min(x, y, this.width - 1 - x, this.height - 1 - y);
  }
}

const cache = new WeakMap<BoardSpec, Board>();

export function isWalls(value: unknown): value is Walls {
  return (WALL_MODES as readonly unknown[]).includes(value);
}
