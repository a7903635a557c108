// The minimap: the whole board in a corner while the camera follows your snake, so a player
// who sees only part of the board still knows where everyone is. A small 2D canvas in the DOM
// placed just inside the board's free area (below the top bar, whatever its height), in the
// top-left corner, or the top-right one while your head is under it; redrawn when a tick is
// shown: every snake a
// dot per cell in its colour, yours brighter with its head ringed, and a frame round the part of
// the board on screen. Hidden when the whole board fits.
// Must not: draw per frame, or read anything but the world it is given.
// Tutorial: docs/tutorial/04-drawing.md

import type { WorldMirror } from '@snakepit/shared';
import { cssColour, snakeColour } from './palette.ts';
import type { Insets } from './scene.ts';

/** The minimap's largest size, in CSS px. */
const MAX_W = 120;
const MAX_H = 90;
/** Its distance from the free area's edges, and how near (CSS px) a head may come before it moves away. */
const GAP_PX = 4;
const DODGE_PX = 40;

export class Minimap {
  readonly canvas = document.createElement('canvas');
  readonly #ctx: CanvasRenderingContext2D | null;
  #shown = false;
  #insets: Insets = { top: 0, right: 0, bottom: 0, left: 0 };
  #side: 'left' | 'right' = 'left';

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

  /** The corner it sits in: 'right' while your head was under the left one. */
  get side(): 'left' | 'right' {
    return this.#side;
  }

  /** Keeps it inside the board's free area: under the top bar, clear of the side panels. */
  place(insets: Insets): void {
    this.#insets = insets;
    this.#applySide();
  }

  #applySide(): void {
    const style = this.canvas.style;
    style.top = `${this.#insets.top + GAP_PX}px`;
    style.left = this.#side === 'left' ? `${this.#insets.left + GAP_PX}px` : 'auto';
    style.right = this.#side === 'right' ? `${this.#insets.right + GAP_PX}px` : 'auto';
  }

  /** Moves to the other top corner when `head` (CSS px on the page) comes near this one. */
  #dodge(head: { x: number; y: number } | null, w: number, h: number): void {
    if (!head) return;
    const top = this.#insets.top + GAP_PX;
    const width = window.innerWidth;
    const left = this.#insets.left + GAP_PX;
    const right = width - this.#insets.right - GAP_PX;
    const near = (x0: number) =>
      head.x > x0 - DODGE_PX && head.x < x0 + w + DODGE_PX && head.y > top - DODGE_PX && head.y < top + h + DODGE_PX;
    const side = this.#side === 'left' ? (near(left) ? 'right' : 'left') : near(right - w) ? 'left' : 'right';
    if (side !== this.#side) {
      this.#side = side;
      this.#applySide();
    }
  }

  /**
   * Redraws the board: snakes, you, and `visible` ([x, y, w, h] in cells) framed. `head`: where
   * your head is on the page (CSS px), so the map can get out of its way.
   */
  draw(
    world: WorldMirror,
    myId: number | null,
    visible: readonly [number, number, number, number],
    head: { x: number; y: number } | null = null,
  ): void {
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
    this.#dodge(head, w, h);
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
