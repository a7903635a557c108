// The board: background, a faint grid and the edge, drawn once per room; stones, drawn once
// per snapshot (they never move). Units are cells times CELL_PX; the scene scales to fit.
// Tutorial: docs/tutorial/04-client.md

import { Container, Graphics } from 'pixi.js';
import { BOARD_BG, BOARD_EDGE, BOARD_LINE, STONE } from './palette.ts';

/** Size of one cell in world units (pixels before the scene's fit-to-window scale). */
export const CELL_PX = 16;

export class BoardLayer {
  readonly view = new Container({ label: 'board' });
  readonly #grid = new Graphics();
  readonly #stones = new Graphics();
  #stonesDrawn: readonly number[] | null = null;

  constructor() {
    this.view.addChild(this.#grid, this.#stones);
  }

  setSize(width: number, height: number): void {
    const w = width * CELL_PX;
    const h = height * CELL_PX;
    const g = this.#grid.clear();
    g.rect(0, 0, w, h).fill(BOARD_BG);
    for (let x = 1; x < width; x++) g.moveTo(x * CELL_PX, 0).lineTo(x * CELL_PX, h);
    for (let y = 1; y < height; y++) g.moveTo(0, y * CELL_PX).lineTo(w, y * CELL_PX);
    g.stroke({ width: 1, color: BOARD_LINE });
    g.rect(-1, -1, w + 2, h + 2).stroke({ width: 2, color: BOARD_EDGE });
    this.#stonesDrawn = null;
  }

  setStones(stones: readonly number[], width: number): void {
    if (this.#stonesDrawn === stones) return;
    this.#stonesDrawn = stones;
    const g = this.#stones.clear();
    const pad = CELL_PX * 0.08;
    for (const cell of stones) {
      const x = (cell % width) * CELL_PX;
      const y = Math.floor(cell / width) * CELL_PX;
      g.roundRect(x + pad, y + pad, CELL_PX - 2 * pad, CELL_PX - 2 * pad, CELL_PX * 0.25);
    }
    if (stones.length) g.fill(STONE);
  }
}
