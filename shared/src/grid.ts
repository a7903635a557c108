// Cells, directions and the arithmetic between them.
// A cell is one integer, `y * width + x`: it is cheap to hash, to compare and to send on the wire.
// Directions are 0..3 clockwise from up, so the opposite of d is (d + 2) & 3.
// Tutorial: docs/tutorial/01-rules.md

export type Dir = 0 | 1 | 2 | 3;
export const UP: Dir = 0;
export const RIGHT: Dir = 1;
export const DOWN: Dir = 2;
export const LEFT: Dir = 3;

/** Direction names as they appear in JSON messages, indexed by Dir. */
export const DIR_NAMES = ['up', 'right', 'down', 'left'] as const;
export type DirName = (typeof DIR_NAMES)[number];

const DX = [0, 1, 0, -1] as const;
const DY = [-1, 0, 1, 0] as const;

export function opposite(d: Dir): Dir {
  return ((d + 2) & 3) as Dir;
}

export function dirFromName(name: DirName): Dir {
  return DIR_NAMES.indexOf(name) as Dir;
}

export function cellOf(x: number, y: number, width: number): number {
  return y * width + x;
}

export function xOf(cell: number, width: number): number {
  return cell % width;
}

export function yOf(cell: number, width: number): number {
  return Math.floor(cell / width);
}

/** The cell one step from `cell` in direction `d`, or -1 when that step leaves the board. */
export function neighbour(cell: number, d: Dir, width: number, height: number): number {
  const x = (cell % width) + DX[d];
  const y = Math.floor(cell / width) + DY[d];
  if (x < 0 || y < 0 || x >= width || y >= height) return -1;
  return y * width + x;
}

/** Which way a snake moved to get from `from` to the adjacent cell `to`. */
export function dirBetween(from: number, to: number, width: number): Dir {
  if (to === from - width) return UP;
  if (to === from + 1) return RIGHT;
  if (to === from + width) return DOWN;
  return LEFT;
}
