// Snakes. Each snake is a few display objects made once and reused:
//   body     a thick round-jointed line through the still cells (neck to tail), redrawn when they change
//   neck     a bar from the neck to the moving head, stretched and turned per frame
//   tailBar  a bar from the tail to the tail's moving end, likewise
//   tailCap  the rounded end of the tail, moved per frame
//   head     a disc with eyes looking the way the snake goes; yours has a white ring
// So a frame only moves and stretches a handful of objects; no geometry is rebuilt until the
// next tick is shown. Your own snake, when predicted, is drawn from the prediction: its body is
// rebuilt when the predicted cells change, and its head faces the way it will turn next. A
// snake whose player is away is dimmed.
// On a board whose walls wrap, the layer is clipped to the board, and an end that is crossing
// the edge is drawn twice: once running out past the edge, once (a ghost sharing the same
// geometry) shifted by the board's size, coming in at the other side.
// Tutorial: docs/tutorial/04-drawing.md

import type { Board, MirrorSnake, PlayerView } from '@snakepit/shared';
import { Container, Graphics } from 'pixi.js';
import { type Point, bodyRuns, snakeEnds } from '../state/interpolate.ts';
import type { OwnDrawing } from '../state/session.ts';
import { CELL_PX } from './board.ts';
import { snakeColour } from './palette.ts';

const BODY_W = CELL_PX * 0.68;
const HEAD_R = CELL_PX * 0.46;
/** A snake whose player is away is drawn at this opacity. */
const AWAY_ALPHA = 0.35;

class SnakeView {
  readonly view = new Container();
  readonly #body = new Graphics();
  /** The moving ends: front holds the neck bar and the head, back the tail bar and cap. */
  readonly #front = new Container();
  readonly #back = new Container();
  readonly #neck: Graphics;
  readonly #tailBar: Graphics;
  readonly #tailCap: Graphics;
  readonly #head = new Container();
  readonly #colour: number;
  #mine = false;
  readonly #ring = new Graphics();
  /** Copies of front and back, made the first time an end crosses a wrapping edge. */
  #frontGhost: Container | null = null;
  #backGhost: Container | null = null;
  /** The cells the body was last drawn from. */
  #drawn: number[] = [];

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
    this.#front.addChild(this.#neck, this.#head);
    this.#back.addChild(this.#tailCap, this.#tailBar);
    this.view.addChild(this.#back, this.#body, this.#front);
  }

  set mine(value: boolean) {
    if (value === this.#mine) return;
    this.#mine = value;
    this.#ring.clear();
    if (value) this.#ring.circle(0, 0, HEAD_R + 1.5).stroke({ width: 2.5, color: 0xffffff });
  }

  set away(value: boolean) {
    this.view.alpha = value ? AWAY_ALPHA : 1;
  }

  /** Draws the body of `snake` unless it is drawn already (the same cells). */
  show(snake: MirrorSnake, board: Board): void {
    const body = snake.body;
    const drawn = this.#drawn;
    if (body.length === drawn.length && body.every((c, i) => c === drawn[i])) return;
    this.#drawn = [...body];
    this.#redraw(bodyRuns(snake, board));
  }

  /** The still part of the body, one line per stretch between wrapping edges. */
  #redraw(runs: readonly (readonly Point[])[]): void {
    const g = this.#body.clear();
    if (runs.length === 0) return;
    for (const [first, ...rest] of runs) {
      g.moveTo(first!.x * CELL_PX, first!.y * CELL_PX);
      if (rest.length === 0) g.lineTo(first!.x * CELL_PX + 0.01, first!.y * CELL_PX);
      for (const p of rest) g.lineTo(p.x * CELL_PX, p.y * CELL_PX);
    }
    g.stroke({ width: BODY_W, color: this.#colour, cap: 'round', join: 'round' });
  }

  /**
   * Per frame: the moving ends. `own`, for your predicted snake: where the head is drawn (eased
   * over corrections) and the way it faces, which may already be the turn it takes next.
   */
  place(snake: MirrorSnake, board: Board, alpha: number, own: OwnDrawing | null = null): void {
    const ends = snakeEnds(snake, board, alpha);
    const head = own ? own.head : ends.head;
    bar(this.#neck, ends.neck, head);
    bar(this.#tailBar, ends.tail, ends.tailEnd);
    this.#tailCap.position.set(ends.tailEnd.x * CELL_PX, ends.tailEnd.y * CELL_PX);
    this.#head.position.set(head.x * CELL_PX, head.y * CELL_PX);
    // Directions are 0 up, 1 right, 2 down, 3 left; angles run clockwise from right (y down).
    if (own) this.#head.rotation = ((own.facing - 1) * Math.PI) / 2;
    else if (snake.body.length > 1) this.#head.rotation = Math.atan2(ends.headTo.y - ends.neck.y, ends.headTo.x - ends.neck.x);
    this.#frontGhost = this.#ghost(this.#front, this.#frontGhost, ends.headWrap, this.view.children.length);
    this.#backGhost = this.#ghost(this.#back, this.#backGhost, ends.tailWrap, 1);
  }

  /**
   * Shows `of` a second time, shifted by `wrap` (in cells), or hides the copy when `wrap` is
   * null. The copy shares `of`'s geometry and follows its children's transforms.
   */
  #ghost(of: Container, ghost: Container | null, wrap: Point | null, index: number): Container | null {
    if (!wrap) {
      if (ghost) ghost.visible = false;
      return ghost;
    }
    if (!ghost) {
      ghost = copyOf(of);
      this.view.addChildAt(ghost, Math.min(index, this.view.children.length));
    }
    ghost.visible = true;
    ghost.position.set(wrap.x * CELL_PX, wrap.y * CELL_PX);
    follow(ghost, of);
    return ghost;
  }

  /** Where the head is drawn, in world units. */
  get headPosition(): { readonly x: number; readonly y: number } {
    return this.#head.position;
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}

/** A container of Graphics, copied: new display objects drawing the same (shared) geometry. */
function copyOf(c: Container): Container {
  const copy = c instanceof Graphics ? new Graphics(c.context) : new Container();
  if (!(c instanceof Graphics)) for (const child of c.children) copy.addChild(copyOf(child));
  follow(copy, c);
  return copy;
}

/** Gives each child of `copy` the transform of the matching child of `of` (one level deep). */
function follow(copy: Container, of: Container): void {
  of.children.forEach((child, i) => {
    const c = copy.children[i]!;
    c.position.copyFrom(child.position);
    c.scale.copyFrom(child.scale);
    c.rotation = child.rotation;
    c.visible = child.visible;
  });
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
  /** Clips the layer to the board; only where the walls wrap does anything cross the edge. */
  readonly #clip = new Graphics();

  constructor() {
    this.#clip.visible = false;
    this.view.addChild(this.#clip);
  }

  /** A new room: clip to its board when snakes can cross its edge, else draw unclipped. */
  setBoard(board: Board): void {
    this.#clip.clear();
    if (board.wraps) {
      this.#clip.rect(0, 0, board.width * CELL_PX, board.height * CELL_PX).fill(0xffffff);
      this.#clip.visible = true;
      this.view.mask = this.#clip;
    } else {
      this.view.mask = null;
      this.#clip.visible = false;
    }
  }

  /**
   * Per tick: create, redraw and remove snake views to match the world. `predicted`: your snake
   * is drawn from its prediction (frame() draws its body), not from the world.
   */
  sync(
    snakes: ReadonlyMap<number, MirrorSnake>,
    players: ReadonlyMap<number, PlayerView>,
    board: Board,
    myId: number | null,
    predicted: boolean,
  ): void {
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
      v.away = players.get(id)?.away ?? false;
      if (!(predicted && id === myId)) v.show(snake, board);
    }
    // Your snake on top of the others.
    const mine = myId === null ? undefined : this.#views.get(myId);
    if (mine) this.view.setChildIndex(mine.view, this.view.children.length - 1);
  }

  /** Per frame: move every snake's ends to where `alpha` puts them, and yours as predicted. */
  frame(snakes: ReadonlyMap<number, MirrorSnake>, board: Board, alpha: number, own: OwnDrawing | null): void {
    for (const [id, v] of this.#views) {
      if (own && id === own.id) {
        v.show(own.snake, board);
        v.place(own.snake, board, own.alpha, own.predicted ? own : null);
        continue;
      }
      const snake = snakes.get(id);
      if (snake) v.place(snake, board, alpha);
    }
  }

  /** Where snake `id`'s head is drawn (world units, this frame), or null when it has none. */
  headAt(id: number): { readonly x: number; readonly y: number } | null {
    return this.#views.get(id)?.headPosition ?? null;
  }

  clear(): void {
    for (const v of this.#views.values()) v.destroy();
    this.#views.clear();
  }

  get count(): number {
    return this.#views.size;
  }
}
