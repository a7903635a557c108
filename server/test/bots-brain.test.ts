// The bots' steering (server/src/bots/brain.ts) on solid and wrapping boards: a bot must treat the edge
// exactly as the rules do, or the bench measures bots that die at a wrap edge for nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board, DOWN, LEFT, RIGHT, UP, type Walls } from '@snakepit/shared';
import { Scratch, chooseDir, facing, foodField } from '../src/bots/brain.ts';

function sight(walls: Walls, food: number[] = [], blockedCells: number[] = []) {
  const board = new Board({ width: 10, height: 6, walls });
  const blocked = new Uint8Array(board.cells);
  for (const c of blockedCells) blocked[c] = 1;
  return { board, blocked, food };
}

test('facing reads the direction across a wrapping edge, and refuses a one-cell body', () => {
  const { board } = sight('wrap');
  assert.equal(facing(board, [board.cell(0, 2), board.cell(9, 2)]), RIGHT);
  assert.equal(facing(board, [board.cell(3, 5), board.cell(3, 0)]), UP);
  assert.equal(facing(board, [board.cell(3, 2)]), null);
});

test('at a solid edge the bot turns; at a wrapping edge it may go straight through', () => {
  // Heading right on the last column, food straight ahead across the edge.
  const solid = sight('solid', [sight('solid').board.cell(1, 2)]);
  const body = [solid.board.cell(9, 2), solid.board.cell(8, 2), solid.board.cell(7, 2)];
  const turned = chooseDir(solid, body, new Scratch(solid.board.cells));
  assert.ok(turned === UP || turned === DOWN, `turned ${turned}`);

  const wrap = sight('wrap', [solid.board.cell(1, 2)]);
  assert.equal(chooseDir(wrap, body, new Scratch(wrap.board.cells)), RIGHT);
});

test('the nearest food counts the way across a wrapping edge, scanned or from the field', () => {
  // Head at (2,2) heading up; food at (8,2): 6 steps right, 4 steps left across the edge.
  for (const walls of ['solid', 'wrap'] as const) {
    const s = sight(walls, [sight(walls).board.cell(8, 2)]);
    const body = [s.board.cell(2, 2), s.board.cell(2, 3), s.board.cell(2, 4)];
    const want = walls === 'wrap' ? LEFT : RIGHT;
    assert.equal(chooseDir(s, body, new Scratch(s.board.cells)), want, `${walls}, scanning`);
    const field = foodField(s, new Uint32Array(s.board.cells), new Int32Array(s.board.cells));
    assert.equal(chooseDir({ ...s, foodDistance: field }, body, new Scratch(s.board.cells)), want, `${walls}, field`);
  }
});

test('a bot never picks a blocked cell or, on a solid board, the wall', () => {
  const s = sight('solid', [], []);
  const corner = [s.board.cell(9, 0), s.board.cell(8, 0)];
  assert.equal(chooseDir(s, corner, new Scratch(s.board.cells)), DOWN);
  const boxed = sight('solid', [], [s.board.cell(9, 1)]);
  assert.equal(chooseDir(boxed, corner, new Scratch(s.board.cells)), null);
});
