// Snakes. Each snake is a few display objects made once and reused:
//   body     the still cells (neck to tail): a bar along each straight stretch and a disc at each
//            corner and end, which together draw a thick line with round joins; placed again when
//            the cells change
//   neck     a bar from the neck to the moving head, stretched and turned per frame
//   tailBar  a bar from the tail to the tail's moving end, likewise
//   tailCap  the rounded end of the tail, moved per frame
//   head     a disc with eyes looking the way the snake goes; yours has a white ring
// Bars and discs are two shapes every snake shares, triangulated once and tinted per snake. So
// neither a frame nor a tick builds geometry: they move, stretch and turn objects pixi already
// has in its draw list, and a piece not needed is put away without being hidden (pool.ts). Your
// own snake, when predicted, is drawn from the prediction: its body is placed again when the
// predicted cells change, and its head faces the way it will turn next. A snake whose player is
// away is dimmed.
// On a board whose walls wrap, the layer is clipped to the board, and an end that is crossing
// the edge is drawn twice: once running out past the edge, once (a ghost sharing the same
// geometry) shifted by the board's size, coming in at the other side.
// Tutorial: docs/tutorial/04-drawing.md

import type { Board, MirrorSnake, PlayerView } from '@snakepit/shared';
import { Container, Graphics, GraphicsContext } from 'pixi.js';
import { type Point, bodyRuns, snakeEnds } from '../state/interpolate.ts';
import type { OwnDrawing } from '../state/session.ts';
import { CELL_PX } from './board.ts';
import { snakeColour } from './palette.ts';
import { putAway } from './pool.ts';

const BODY_W = CELL_PX * 0.68;
const HEAD_R = CELL_PX * 0.46;
/** A snake whose player is away is drawn this much darker (a tint: its pieces overlap, so a
 * translucent snake would show every joint). */
const AWAY_TINT = 0x5a5a5a;
/** White shapes, tinted per snake: a bar one world unit long (stretched to length) and a disc. */
const UNIT_BAR = new GraphicsContext().rect(0, -BODY_W / 2, 1, BODY_W).fill(0xffffff);
const BODY_DISC = new GraphicsContext().circle(0, 0, BODY_W / 2).fill(0xffffff);

class SnakeView {
  readonly view = new Container();
  readonly #body = new Container();
  /** The body's pieces, kept for the next redraw; those past what the body needs are put away. */
  readonly #bars: Graphics[] = [];
  readonly #discs: Graphics[] = [];
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
    this.#neck = this.#piece(UNIT_BAR);
    this.#tailBar = this.#piece(UNIT_BAR);
    this.#tailCap = this.#piece(BODY_DISC);
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
    this.view.tint = value ? AWAY_TINT : 0xffffff;
  }

  /** Draws the body of `snake` unless it is drawn already (the same cells). */
  show(snake: MirrorSnake, board: Board): void {
    const body = snake.body;
    const drawn = this.#drawn;
    if (body.length === drawn.length && body.every((c, i) => c === drawn[i])) return;
    this.#drawn = [...body];
    this.#redraw(bodyRuns(snake, board));
  }

  /**
   * The still part of the body, one line per stretch between wrapping edges: a bar from corner
   * to corner and a disc on every corner and end (a round join is exactly that disc).
   */
  #redraw(runs: readonly (readonly Point[])[]): void {
    let bars = 0;
    let discs = 0;
    const disc = (p: Point) => {
      const g = this.#discs[discs++] ?? this.#bodyPiece(this.#discs, BODY_DISC);
      g.position.set(p.x * CELL_PX, p.y * CELL_PX);
      g.scale.set(1);
    };
    for (const run of runs) {
      let from = run[0]!;
      disc(from);
      for (let i = 1; i < run.length; i++) {
        const p = run[i]!;
        const next = run[i + 1];
        // Cells are joined across or down, so a stretch goes on while the cross product is 0.
        if (next && (p.x - from.x) * (next.y - p.y) === (p.y - from.y) * (next.x - p.x)) continue;
        bar(this.#bars[bars++] ?? this.#bodyPiece(this.#bars, UNIT_BAR), from, p);
        disc(p);
        from = p;
      }
    }
    for (let i = bars; i < this.#bars.length; i++) putAway(this.#bars[i]!);
    for (let i = discs; i < this.#discs.length; i++) putAway(this.#discs[i]!);
  }

  /** A shared shape in this snake's colour. */
  #piece(shape: GraphicsContext): Graphics {
    const g = new Graphics(shape);
    g.tint = this.#colour;
    return g;
  }

  /** One more body piece, kept in `pool` (the only time the body adds to pixi's draw list). */
  #bodyPiece(pool: Graphics[], shape: GraphicsContext): Graphics {
    const g = this.#piece(shape);
    pool.push(g);
    this.#body.addChild(g);
    return g;
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
  copy.tint = c.tint;
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

/** Stretches a unit bar from `a` to `b`; where they meet it has no length and draws nothing. */
function bar(g: Graphics, a: Point, b: Point): void {
  const dx = (b.x - a.x) * CELL_PX;
  const dy = (b.y - a.y) * CELL_PX;
  g.position.set(a.x * CELL_PX, a.y * CELL_PX);
  g.rotation = Math.atan2(dy, dx);
  g.scale.set(Math.hypot(dx, dy), 1);
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
