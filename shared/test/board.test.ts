// The Board value: cells and coordinates, neighbours at solid and wrapping edges, and the
// direction between two cells, which refuses cells that are not neighbours.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Board, DOWN, LEFT, RIGHT, UP, type Dir } from '@snakepit/shared';

const solid = new Board({ width: 20, height: 10, walls: 'solid' });
const wrap = new Board({ width: 20, height: 10, walls: 'wrap' });

describe('Board', () => {
  test('cells and coordinates are inverse', () => {
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 20; x++) {
        const cell = solid.cell(x, y);
        assert.deepEqual([solid.x(cell), solid.y(cell)], [x, y]);
        assert.ok(solid.contains(cell));
      }
    }
    assert.equal(solid.cells, 200);
    assert.ok(!solid.contains(200) && !solid.contains(-1) && !solid.contains(1.5));
  });

  test('inside the board both kinds agree on every neighbour', () => {
    const middle = solid.cell(5, 5);
    for (const d of [UP, RIGHT, DOWN, LEFT]) assert.equal(solid.neighbour(middle, d), wrap.neighbour(middle, d));
    assert.equal(solid.neighbour(middle, UP), solid.cell(5, 4));
    assert.equal(solid.neighbour(middle, RIGHT), solid.cell(6, 5));
  });

  const edges: { from: [number, number]; d: Dir; wrapsTo: [number, number] }[] = [
    { from: [19, 3], d: RIGHT, wrapsTo: [0, 3] },
    { from: [0, 3], d: LEFT, wrapsTo: [19, 3] },
    { from: [4, 0], d: UP, wrapsTo: [4, 9] },
    { from: [4, 9], d: DOWN, wrapsTo: [4, 0] },
  ];
  for (const { from, d, wrapsTo } of edges) {
    test(`off the edge at ${from} going ${d}: a wall, or the far side`, () => {
      const cell = solid.cell(...from);
      assert.equal(solid.neighbour(cell, d), -1);
      assert.equal(wrap.neighbour(cell, d), wrap.cell(...wrapsTo));
      assert.equal(wrap.dirBetween(cell, wrap.cell(...wrapsTo)), d);
      // The row-major trap: x = 19 and x = 0 of the next row differ by 1 too.
      assert.equal(solid.dirBetween(cell, solid.cell(...wrapsTo)), null);
    });
  }

  test('dirBetween answers for neighbours and refuses everything else', () => {
    const c = solid.cell(5, 5);
    assert.equal(solid.dirBetween(c, solid.cell(5, 4)), UP);
    assert.equal(solid.dirBetween(c, solid.cell(6, 5)), RIGHT);
    assert.equal(solid.dirBetween(c, solid.cell(5, 6)), DOWN);
    assert.equal(solid.dirBetween(c, solid.cell(4, 5)), LEFT);
    for (const far of [c, solid.cell(7, 5), solid.cell(6, 6), solid.cell(0, 0)]) {
      assert.equal(solid.dirBetween(c, far), null, `cell ${far} is not next to ${c}`);
      assert.equal(wrap.dirBetween(c, far), null);
    }
    // Row ends: (19, 4) and (0, 5) are consecutive numbers but not neighbours on any board.
    assert.equal(wrap.dirBetween(wrap.cell(19, 4), wrap.cell(0, 5)), null);
  });

  test('distance goes the short way round where the walls wrap', () => {
    assert.equal(solid.distance(solid.cell(0, 0), solid.cell(19, 9)), 28);
    assert.equal(wrap.distance(wrap.cell(0, 0), wrap.cell(19, 9)), 2);
    assert.equal(wrap.distance(wrap.cell(2, 2), wrap.cell(5, 4)), 5);
  });

  test('edge distance is what the spawn margin measures; a wrapping board has no edge', () => {
    assert.equal(solid.edgeDistance(solid.cell(0, 5)), 0);
    assert.equal(solid.edgeDistance(solid.cell(3, 4)), 3);
    assert.equal(wrap.edgeDistance(wrap.cell(0, 5)), Number.POSITIVE_INFINITY);
  });

  test('one Board per rules object, and a refusal for a board that is not one', () => {
    const spec = Object.freeze({ width: 30, height: 20, walls: 'wrap' as const });
    assert.equal(Board.of(spec), Board.of(spec));
    assert.deepEqual(Board.of(spec).spec(), { width: 30, height: 20, walls: 'wrap' });
    assert.throws(() => new Board({ width: 0, height: 5, walls: 'solid' }), RangeError);
    assert.throws(() => new Board({ width: 2.5, height: 5, walls: 'solid' }), RangeError);
  });
});
