// The board: background, a faint grid and the edge, drawn once per room; stones, drawn once
// per snapshot (they never move). Units are cells times CELL_PX; the scene scales to fit.
// A solid edge is a solid line; an edge that wraps around is dashed in a softer colour, so a
// player can see that it leads to the other side rather than to a crash.
// Tutorial: docs/tutorial/04-drawing.md

import type { Board, BoardSpec } from '@snakepit/shared';
import { Container, Graphics } from 'pixi.js';
import { BOARD_BG, BOARD_EDGE, BOARD_EDGE_WRAP, BOARD_LINE, STONE } from './palette.ts';

/** Size of one cell in world units (pixels before the scene's fit-to-window scale). */
export const CELL_PX = 16;
/** A wrapping edge's dashes: one cell long and one cell apart. */
const DASH_PX = CELL_PX;

export class BoardLayer {
  readonly view = new Container({ label: 'board' });
  readonly #grid = new Graphics();
  readonly #stones = new Graphics();
  #stonesDrawn: readonly number[] | null = null;

  constructor() {
    this.view.addChild(this.#grid, this.#stones);
  }

  setBoard(board: BoardSpec): void {
    const w = board.width * CELL_PX;
    const h = board.height * CELL_PX;
    const g = this.#grid.clear();
    g.rect(0, 0, w, h).fill(BOARD_BG);
    for (let x = 1; x < board.width; x++) g.moveTo(x * CELL_PX, 0).lineTo(x * CELL_PX, h);
    for (let y = 1; y < board.height; y++) g.moveTo(0, y * CELL_PX).lineTo(w, y * CELL_PX);
    g.stroke({ width: 1, color: BOARD_LINE });
    if (board.walls === 'wrap') {
      // Dashes along all four edges, half a dash in from each corner and never past one.
      for (let x = DASH_PX / 2; x < w; x += 2 * DASH_PX) {
        const end = Math.min(x + DASH_PX, w);
        g.moveTo(x, -1).lineTo(end, -1);
        g.moveTo(x, h + 1).lineTo(end, h + 1);
      }
      for (let y = DASH_PX / 2; y < h; y += 2 * DASH_PX) {
        const end = Math.min(y + DASH_PX, h);
        g.moveTo(-1, y).lineTo(-1, end);
        g.moveTo(w + 1, y).lineTo(w + 1, end);
      }
      g.stroke({ width: 2, color: BOARD_EDGE_WRAP });
    } else {
      g.rect(-1, -1, w + 2, h + 2).stroke({ width: 2, color: BOARD_EDGE });
    }
    this.#stonesDrawn = null;
  }

  setStones(stones: readonly number[], board: Board): void {
    if (this.#stonesDrawn === stones) return;
    this.#stonesDrawn = stones;
    const g = this.#stones.clear();
    const pad = CELL_PX * 0.08;
    for (const cell of stones) {
      const x = board.x(cell) * CELL_PX;
      const y = board.y(cell) * CELL_PX;
      g.roundRect(x + pad, y + pad, CELL_PX - 2 * pad, CELL_PX - 2 * pad, CELL_PX * 0.25);
    }
    if (stones.length) g.fill(STONE);
  }
}
