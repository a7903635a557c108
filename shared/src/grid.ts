// Directions: 0..3 clockwise from up, so the opposite of d is (d + 2) & 3.
// Cells and the steps between them belong to a board, and live in board.ts.
// Tutorial: docs/tutorial/02-rules.md

export type Dir = 0 | 1 | 2 | 3;
export const UP: Dir = 0;
export const RIGHT: Dir = 1;
export const DOWN: Dir = 2;
export const LEFT: Dir = 3;

/** Direction names as they appear in JSON messages, indexed by Dir. */
export const DIR_NAMES = ['up', 'right', 'down', 'left'] as const;
export type DirName = (typeof DIR_NAMES)[number];

export function opposite(d: Dir): Dir {
  return ((d + 2) & 3) as Dir;
}

export function dirFromName(name: DirName): Dir {
  return DIR_NAMES.indexOf(name) as Dir;
}
