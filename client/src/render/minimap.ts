// The minimap: the whole board in a corner while the camera follows your snake, so a player
// who sees only part of the board still knows where everyone is. A small 2D canvas in the DOM
// (placed by style.css, away from the HUD panels), redrawn when a tick is shown: every snake a
// dot per cell in its colour, yours brighter with its head ringed, and a frame round the part of
// the board on screen. Hidden when the whole board fits.
// Must not: draw per frame, or read anything but the world it is given.
// Tutorial: docs/tutorial/04-drawing.md

import type { WorldMirror } from '@snakepit/shared';
import { cssColour, snakeColour } from './palette.ts';

/** The minimap's largest size, in CSS px. */
const MAX_W = 120;
const MAX_H = 90;

export class Minimap {
  readonly canvas = document.createElement('canvas');
  readonly #ctx: CanvasRenderingContext2D | null;
  #shown = false;

  /** Placed right after `host` (the element the game's canvas fills), under the HUD. */
  constructor(host: HTMLElement) {
    this.canvas.className = 'minimap';
    this.canvas.dataset.testid = 'minimap';
    this.canvas.setAttribute('aria-hidden', 'true');
    this.canvas.hidden = true;
    this.#ctx = this.canvas.getContext('2d');
    // Beside the game's canvas, not in it: its host holds pixi's canvas alone.
    host.after(this.canvas);
  }

  get shown(): boolean {
    return this.#shown;
  }

  set shown(value: boolean) {
    this.#shown = value;
    this.canvas.hidden = !value;
  }

  /** Redraws the board: snakes, you, and `visible` ([x, y, w, h] in cells) framed. */
  draw(world: WorldMirror, myId: number | null, visible: readonly [number, number, number, number]): void {
    const ctx = this.#ctx;
    if (!this.#shown || !ctx || !world.ready) return;
    const { width: cols, height: rows } = world.board;
    const k = Math.min(MAX_W / cols, MAX_H / rows);
    const w = Math.round(cols * k);
    const h = Math.round(rows * k);
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${h}px`;
    }
    ctx.setTransform(dpr * k, 0, 0, dpr * k, 0, 0);
    ctx.clearRect(0, 0, cols, rows);
    ctx.fillStyle = 'rgba(17, 24, 33, 0.85)';
    ctx.fillRect(0, 0, cols, rows);
    const board = world.board;
    for (const [id, snake] of world.snakes) {
      if (id === myId) continue;
      ctx.fillStyle = cssColour(snakeColour(id));
      ctx.globalAlpha = 0.7;
      for (const cell of snake.body) ctx.fillRect(board.x(cell), board.y(cell), 1, 1);
    }
    ctx.globalAlpha = 1;
    const mine = myId === null ? undefined : world.snakes.get(myId);
    if (mine) {
      ctx.fillStyle = cssColour(snakeColour(myId!));
      for (const cell of mine.body) ctx.fillRect(board.x(cell), board.y(cell), 1, 1);
      const head = mine.body[0]!;
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1 / k;
      ctx.beginPath();
      ctx.arc(board.x(head) + 0.5, board.y(head) + 0.5, Math.max(1.5, 3 / k), 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.strokeStyle = 'rgba(230, 237, 243, 0.6)';
    ctx.lineWidth = 1 / k;
    ctx.strokeRect(visible[0], visible[1], visible[2], visible[3]);
  }
}
