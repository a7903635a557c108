// The camera: where the board goes on the screen. When the whole board fits with cells of at
// least FIT_MIN_CELL_PX it is shown whole, centred between the HUD panels, and never moves. When
// it would not (a phone, a big board), the view follows your snake at FOLLOW_CELL_PX, a little
// ahead of the way it is heading, easing toward that point so the board glides rather than jumps,
// but never past the board's edge: near a wall the view stops and the head moves toward the
// screen's edge instead, so no screen is spent on the void beyond the wall. Along an axis where
// the whole board fits (a 40-row board on a tall phone), it stays centred on that axis.
// Pure arithmetic on plain numbers: the scene applies the result to its world container, and
// tests drive it without a DOM. Must not: read the DOM, the session or the clock.
// Tutorial: docs/tutorial/04-drawing.md

import type { Insets } from './scene.ts';

/** Below this cell size (CSS px) the whole board is too small to play on: follow instead. */
export const FIT_MIN_CELL_PX = 14;
/** The cell size (CSS px) while following. */
export const FOLLOW_CELL_PX = 16;
/** How far ahead of the head the view looks, in cells, at most... */
const LOOKAHEAD_CELLS = 4;
/** ...and at most this share of the visible cells along the heading. */
const LOOKAHEAD_SHARE = 0.2;
/** The view closes 63% of the distance to where it wants to be in this time (ms). */
const EASE_MS = 160;
/** A head that moved further than this in one frame went across a wrapping edge: cut, not glide. */
const CUT_CELLS = 6;

/** The steps of directions 0 up, 1 right, 2 down, 3 left. */
const STEPS = [
  [0, -1],
  [1, 0],
  [0, 1],
  [-1, 0],
] as const;

export interface Screen {
  readonly width: number;
  readonly height: number;
}

/** Where the world goes: one cell is `cellPx` CSS px, and cell (0, 0)'s corner is at (x, y). */
export interface View {
  readonly follow: boolean;
  readonly cellPx: number;
  readonly x: number;
  readonly y: number;
}

/** The free area between the insets. */
function area(screen: Screen, insets: Insets): { left: number; top: number; w: number; h: number } {
  return {
    left: insets.left,
    top: insets.top,
    w: Math.max(1, screen.width - insets.left - insets.right),
    h: Math.max(1, screen.height - insets.top - insets.bottom),
  };
}

/** The cell size that shows a `cols` x `rows` board whole in the free area. */
export function fitCellPx(screen: Screen, insets: Insets, cols: number, rows: number): number {
  const a = area(screen, insets);
  return Math.min(a.w / cols, a.h / rows);
}

/** The point (in cells) the view wants at its centre: the head, pushed ahead along `dir`. */
export function aimAt(head: { x: number; y: number }, dir: number, screen: Screen, insets: Insets, cellPx = FOLLOW_CELL_PX) {
  const a = area(screen, insets);
  const [dx, dy] = STEPS[dir & 3]!;
  const ahead = Math.min(LOOKAHEAD_CELLS, (LOOKAHEAD_SHARE * (dx !== 0 ? a.w : a.h)) / cellPx);
  return { x: head.x + dx * ahead, y: head.y + dy * ahead };
}

/**
 * The nearest centre (in cells) to `c` that keeps the view inside the board: on each axis, at
 * least half the visible span from either edge, or the board's middle where the board is the
 * smaller of the two.
 */
export function clampCentre(
  c: { x: number; y: number },
  screen: Screen,
  insets: Insets,
  cols: number,
  rows: number,
  cellPx = FOLLOW_CELL_PX,
): { x: number; y: number } {
  const a = area(screen, insets);
  const axis = (v: number, visible: number, size: number) =>
    visible >= size ? size / 2 : Math.min(size - visible / 2, Math.max(visible / 2, v));
  return { x: axis(c.x, a.w / cellPx, cols), y: axis(c.y, a.h / cellPx, rows) };
}

export class Camera {
  #screen: Screen = { width: 1, height: 1 };
  #insets: Insets = { top: 0, right: 0, bottom: 0, left: 0 };
  #cols = 1;
  #rows = 1;
  /** The centre of the view while following, in cells; null until there is something to follow. */
  #centre: { x: number; y: number } | null = null;
  #view: View = { follow: false, cellPx: 1, x: 0, y: 0 };
  /** The head in the last frame, to tell a wrap (a jump across the board) from a step. */
  #lastHead: { x: number; y: number } | null = null;

  get view(): View {
    return this.#view;
  }

  /** The screen, the HUD's insets or the board changed: fit again. */
  layout(screen: Screen, insets: Insets, cols: number, rows: number): View {
    this.#screen = screen;
    this.#insets = insets;
    if (cols !== this.#cols || rows !== this.#rows) this.#centre = null;
    this.#cols = cols;
    this.#rows = rows;
    return this.#place();
  }

  /**
   * Per frame: `head` (in cells, centre of cell (x, y) at x + 0.5, y + 0.5) and the way it
   * faces, or null when you have no snake (the view then stays where it was). `dtMs` since the
   * last frame.
   */
  update(head: { x: number; y: number } | null, dir: number, dtMs: number): View {
    if (!this.#view.follow) return this.#view;
    if (head) {
      const aim = clampCentre(
        aimAt(head, dir, this.#screen, this.#insets, this.#view.cellPx),
        this.#screen,
        this.#insets,
        this.#cols,
        this.#rows,
        this.#view.cellPx,
      );
      const c = this.#centre;
      const last = this.#lastHead;
      this.#lastHead = { x: head.x, y: head.y };
      if (!c || !last || Math.abs(head.x - last.x) > CUT_CELLS || Math.abs(head.y - last.y) > CUT_CELLS) {
        this.#centre = aim;
      } else {
        const k = 1 - Math.exp(-Math.max(0, dtMs) / EASE_MS);
        this.#centre = { x: c.x + (aim.x - c.x) * k, y: c.y + (aim.y - c.y) * k };
      }
    }
    return this.#place();
  }

  #place(): View {
    const cellFit = fitCellPx(this.#screen, this.#insets, this.#cols, this.#rows);
    const a = area(this.#screen, this.#insets);
    if (cellFit >= FIT_MIN_CELL_PX) {
      this.#view = {
        follow: false,
        cellPx: cellFit,
        x: Math.round(a.left + (a.w - this.#cols * cellFit) / 2),
        y: Math.round(a.top + (a.h - this.#rows * cellFit) / 2),
      };
      return this.#view;
    }
    const cellPx = FOLLOW_CELL_PX;
    // Clamped again here: the screen or the HUD may have changed size since the last aim.
    const c = clampCentre(
      this.#centre ?? { x: this.#cols / 2, y: this.#rows / 2 },
      this.#screen,
      this.#insets,
      this.#cols,
      this.#rows,
      cellPx,
    );
    this.#view = {
      follow: true,
      cellPx,
      x: Math.round(a.left + a.w / 2 - c.x * cellPx),
      y: Math.round(a.top + a.h / 2 - c.y * cellPx),
    };
    return this.#view;
  }

  /** The cells in view while following, for the minimap's frame: [x, y, w, h] in cells. */
  visibleCells(): [number, number, number, number] {
    const v = this.#view;
    const a = area(this.#screen, this.#insets);
    return [(a.left - v.x) / v.cellPx, (a.top - v.y) / v.cellPx, a.w / v.cellPx, a.h / v.cellPx];
  }
}
