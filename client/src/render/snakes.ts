// Snakes. Each snake is a few display objects made once and reused:
//   body     a thick round-jointed line through the still cells (neck to tail), redrawn per tick
//   neck     a bar from the neck to the moving head, stretched and turned per frame
//   tailBar  a bar from the tail to the tail's moving end, likewise
//   tailCap  the rounded end of the tail, moved per frame
//   head     a disc with eyes looking the way the snake goes; yours has a white ring
// So a frame only moves and stretches a handful of objects; no geometry is rebuilt until the
// next tick arrives.
// Tutorial: docs/tutorial/04-client.md

import type { MirrorSnake } from '@snakepit/shared';
import { Container, Graphics } from 'pixi.js';
import { type Point, bodyPoints, centre, snakeEnds } from '../state/interpolate.ts';
import { CELL_PX } from './board.ts';
import { snakeColour } from './palette.ts';

const BODY_W = CELL_PX * 0.68;
const HEAD_R = CELL_PX * 0.46;

class SnakeView {
  readonly view = new Container();
  readonly #body = new Graphics();
  readonly #neck: Graphics;
  readonly #tailBar: Graphics;
  readonly #tailCap: Graphics;
  readonly #head = new Container();
  readonly #colour: number;
  #mine = false;
  readonly #ring = new Graphics();

  constructor(id: number) {
    this.#colour = snakeColour(id);
    // Unit-length bars (1 world unit along x), scaled to each frame's length.
    this.#neck = new Graphics().rect(0, -BODY_W / 2, 1, BODY_W).fill(this.#colour);
    this.#tailBar = new Graphics().rect(0, -BODY_W / 2, 1, BODY_W).fill(this.#colour);
    this.#tailCap = new Graphics().circle(0, 0, BODY_W / 2).fill(this.#colour);
    const eyes = new Graphics()
      .circle(HEAD_R * 0.35, -HEAD_R * 0.42, HEAD_R * 0.3)
      .circle(HEAD_R * 0.35, HEAD_R * 0.42, HEAD_R * 0.3)
      .fill(0xffffff)
      .circle(HEAD_R * 0.47, -HEAD_R * 0.42, HEAD_R * 0.15)
      .circle(HEAD_R * 0.47, HEAD_R * 0.42, HEAD_R * 0.15)
      .fill(0x0b0f14);
    this.#head.addChild(new Graphics().circle(0, 0, HEAD_R).fill(this.#colour), this.#ring, eyes);
    this.view.addChild(this.#tailCap, this.#tailBar, this.#body, this.#neck, this.#head);
  }

  set mine(value: boolean) {
    if (value === this.#mine) return;
    this.#mine = value;
    this.#ring.clear();
    if (value) this.#ring.circle(0, 0, HEAD_R + 1.5).stroke({ width: 2.5, color: 0xffffff });
  }

  /** Per tick: the still part of the body. */
  redraw(points: readonly Point[]): void {
    const g = this.#body.clear();
    if (points.length === 0) return;
    const [first, ...rest] = points;
    g.moveTo(first!.x * CELL_PX, first!.y * CELL_PX);
    if (rest.length === 0) g.lineTo(first!.x * CELL_PX + 0.01, first!.y * CELL_PX);
    for (const p of rest) g.lineTo(p.x * CELL_PX, p.y * CELL_PX);
    g.stroke({ width: BODY_W, color: this.#colour, cap: 'round', join: 'round' });
  }

  /** Per frame: the moving ends. */
  place(snake: MirrorSnake, width: number, alpha: number): void {
    const ends = snakeEnds(snake, width, alpha);
    bar(this.#neck, ends.neck, ends.head);
    bar(this.#tailBar, ends.tail, ends.tailEnd);
    this.#tailCap.position.set(ends.tailEnd.x * CELL_PX, ends.tailEnd.y * CELL_PX);
    this.#head.position.set(ends.head.x * CELL_PX, ends.head.y * CELL_PX);
    const head = centre(snake.body[0]!, width);
    if (snake.body.length > 1) this.#head.rotation = Math.atan2(head.y - ends.neck.y, head.x - ends.neck.x);
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}

/** Stretches a unit bar from `a` to `b`. */
function bar(g: Graphics, a: Point, b: Point): void {
  const dx = (b.x - a.x) * CELL_PX;
  const dy = (b.y - a.y) * CELL_PX;
  const length = Math.hypot(dx, dy);
  g.visible = length > 0.01;
  if (!g.visible) return;
  g.position.set(a.x * CELL_PX, a.y * CELL_PX);
  g.rotation = Math.atan2(dy, dx);
  g.scale.x = length;
}

export class SnakeLayer {
  readonly view = new Container({ label: 'snakes' });
  readonly #views = new Map<number, SnakeView>();

  /** Per tick: create, redraw and remove snake views to match the world. */
  sync(snakes: ReadonlyMap<number, MirrorSnake>, width: number, myId: number | null): void {
    for (const [id, v] of this.#views) {
      if (!snakes.has(id)) {
        v.destroy();
        this.#views.delete(id);
      }
    }
    for (const [id, snake] of snakes) {
      let v = this.#views.get(id);
      if (!v) {
        v = new SnakeView(id);
        this.#views.set(id, v);
        this.view.addChild(v.view);
      }
      v.mine = id === myId;
      v.redraw(bodyPoints(snake, width));
    }
    // Your snake on top of the others.
    const mine = myId === null ? undefined : this.#views.get(myId);
    if (mine) this.view.setChildIndex(mine.view, this.view.children.length - 1);
  }

  /** Per frame: move every snake's ends to where `alpha` puts them. */
  frame(snakes: ReadonlyMap<number, MirrorSnake>, width: number, alpha: number): void {
    for (const [id, v] of this.#views) {
      const snake = snakes.get(id);
      if (snake) v.place(snake, width, alpha);
    }
  }

  clear(): void {
    for (const v of this.#views.values()) v.destroy();
    this.#views.clear();
  }

  get count(): number {
    return this.#views.size;
  }
}
