// The pixi.js stage: a WebGL renderer filling the #game element (pixi's Canvas 2D renderer, loaded
// on demand, where WebGL is missing), a world container placed by the camera (the whole board
// centred when it fits, else following your snake, with a minimap) holding four layers: board,
// food, snakes, effects; and above it, in screen space so text stays crisp at any zoom, the names
// by the heads and the "+N" of food eaten. The scene is told about ticks (sync) and frames (frame) and draws; it never
// touches the network or the DOM HUD.
// It builds the renderer itself rather than through pixi's Application, whose renderer
// auto-detection pulls the WebGPU and Canvas renderers into the page as well (compare the
// sizes `npx vite build client` prints with and without it).
// Tutorial: docs/tutorial/04-drawing.md

// pixi compiles its shaders without eval() when this is imported, so the page runs under a
// Content-Security-Policy that forbids 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
import { Container, type Renderer, Ticker, UPDATE_PRIORITY, WebGLRenderer, isWebGLSupported } from 'pixi.js';
import { Board, type BoardSpec, type WorldMirror } from '@snakepit/shared';
import type { OwnDrawing } from '../state/session.ts';
import { BoardLayer, CELL_PX } from './board.ts';
import { Camera, type View } from './camera.ts';
import { EffectLayer } from './effects.ts';
import { EventTracker, type TickEvents } from './events.ts';
import { FoodLayer } from './food.ts';
import { Minimap } from './minimap.ts';
import { NameLayer } from './names.ts';
import { BOARD_BG } from './palette.ts';
import { SnakeLayer } from './snakes.ts';

/** Space kept free around the board, in CSS pixels, for the HUD panels. */
export interface Insets {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/** Is WebGL here drawn on the CPU (SwiftShader, llvmpipe)? Asked of a throwaway context. */
export function softwareWebGL(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(name);
}

export class Scene {
  renderer!: Renderer;
  readonly stage = new Container();
  /** Drives every frame: our callbacks, then the render (at LOW priority, as pixi's own). */
  readonly ticker = new Ticker();
  readonly #world = new Container({ label: 'world' });
  readonly #board = new BoardLayer();
  #food!: FoodLayer;
  readonly #snakes = new SnakeLayer();
  #effects!: EffectLayer;
  /** Screen space, above the world: names and "+N". */
  readonly #overlay = new Container({ label: 'overlay' });
  readonly #names = new NameLayer();
  readonly #events = new EventTracker();
  /** Reused by the per-frame position lookups below (read at once by their callers). */
  readonly #at = { x: 0, y: 0 };
  readonly #headOnScreen = (id: number) => {
    const h = this.#snakes.headAt(id);
    return h ? this.#toScreen(h.x, h.y) : null;
  };
  readonly #headInWorld = (id: number) => this.#snakes.headAt(id);
  readonly #cellOnScreen = (cell: number) => {
    const board = this.#drawn;
    return board ? this.#toScreen((board.x(cell) + 0.5) * CELL_PX, (board.y(cell) + 0.5) * CELL_PX) : this.#toScreen(0, 0);
  };
  /** The board drawn now; null until a room's welcome or snapshot says which. */
  #drawn: Board | null = null;
  #insets: Insets = { top: 12, right: 12, bottom: 12, left: 12 };
  readonly #camera = new Camera();
  #minimap: Minimap | null = null;
  #lastFrameAt = Number.NaN;

  /** Starts the renderer: WebGL, or where that fails, the Canvas 2D renderer fetched now. */
  async init(host: HTMLElement): Promise<void> {
    const options = {
      width: host.clientWidth,
      height: host.clientHeight,
      background: BOARD_BG,
      backgroundAlpha: 0,
      // Smooth edges cost little on a GPU, but a browser drawing WebGL on the CPU (no usable
      // GPU, or a blocklisted driver) loses a third of its frame rate to them (15 -> 23 fps in
      // headless Chromium, `npm run bench -- --client`): there, crisp pixels beat a slow game.
      antialias: !softwareWebGL(),
      autoDensity: true,
      resolution: Math.min(window.devicePixelRatio || 1, 2),
      // Not pixi's pointer events, accessibility layer, DOM containers, sprite sheets or
      // filters: input is DOM events on #game and text is DOM. Saves loading them at start.
      skipExtensionImports: true,
    };
    let webgl: Error | null = null;
    if (isWebGLSupported()) {
      const renderer = new WebGLRenderer();
      try {
        await renderer.init(options);
        this.renderer = renderer;
      } catch (err) {
        webgl = err instanceof Error ? err : new Error(String(err));
      }
    } else webgl = new Error('WebGL is not available');
    if (webgl) {
      const { CanvasRenderer } = await import('./canvas-renderer.ts');
      const renderer = new CanvasRenderer();
      await renderer.init({ ...options, antialias: true });
      this.renderer = renderer;
    }
    // Made here rather than with the scene: drawing their labels is work for the game's start.
    this.#food = new FoodLayer();
    this.#effects = new EffectLayer();
    this.#minimap = new Minimap(host);
    this.#minimap.place(this.#insets);
    this.#world.addChild(this.#board.view, this.#food.view, this.#snakes.view, this.#effects.world);
    this.#overlay.addChild(this.#names.view, this.#effects.overlay);
    this.stage.addChild(this.#world, this.#overlay);
    host.appendChild(this.renderer.canvas);
    new ResizeObserver(() => {
      this.renderer.resize(host.clientWidth, host.clientHeight);
      this.#fit();
    }).observe(host);
    this.ticker.add(() => this.renderer.render(this.stage), undefined, UPDATE_PRIORITY.LOW);
    this.ticker.start();
  }

  /** The renderer in use: 'webgl', or 'canvas' where WebGL is missing. */
  /** 'webgl' or 'canvas'; 'none' until init (the join screen shows before pixi starts). */
  get rendererName(): string {
    return (this.renderer as Renderer | undefined)?.name ?? 'none';
  }

  /** Keeps the board clear of the HUD (the page decides where its panels are). */
  setInsets(insets: Insets): void {
    if (sameInsets(insets, this.#insets)) return;
    this.#insets = insets;
    this.#minimap?.place(insets);
    this.#fit();
  }

  /** Draws the board (size and edge) when it is not the one drawn already. */
  setBoard(spec: BoardSpec): void {
    const old = this.#drawn;
    if (old && old.width === spec.width && old.height === spec.height && old.walls === spec.walls) return;
    const board = Board.of(spec);
    this.#drawn = board;
    this.#board.setBoard(board);
    this.#snakes.setBoard(board);
    this.#fit();
  }

  /**
   * Per tick (and per snapshot): bring every layer in line with the world and start the effects
   * of what the tick did, which it returns (for the sounds). `predicted`: your snake is drawn
   * from its prediction, per frame.
   */
  sync(world: WorldMirror, myId: number | null, now: number, predicted = false): TickEvents {
    const board = world.board;
    this.setBoard(board);
    const events = this.#events.update(world);
    this.#board.setStones(world.stones, board);
    this.#food.sync(world.food, board, now);
    this.#snakes.sync(world.snakes, world.players, board, myId, predicted);
    this.#names.sync(world.snakes, world.players, myId);
    this.#effects.start(events, board, now);
    if (this.#minimap?.shown) {
      const head = myId === null ? null : this.#headOnScreen(myId);
      this.#minimap.draw(world, myId, this.#camera.visibleCells(), head && { x: head.x, y: head.y });
    }
    return events;
  }

  /** Per frame: move what moves between ticks; your snake as `own` says; the camera after it. */
  frame(world: WorldMirror, alpha: number, now: number, own: OwnDrawing | null = null): void {
    const dtMs = Number.isNaN(this.#lastFrameAt) ? 0 : Math.min(250, now - this.#lastFrameAt);
    this.#lastFrameAt = now;
    if (world.ready) this.#snakes.frame(world.snakes, world.board, alpha, own);
    this.#food.frame(now);
    if (this.#camera.view.follow) this.#apply(this.#camera.update(own ? own.head : null, own?.facing ?? 0, dtMs));
    this.#names.frame(this.#headOnScreen, this.#camera.view.cellPx);
    this.#effects.frame(now, this.#headInWorld, this.#cellOnScreen);
  }

  /** The names drawn by the heads and the effects running, for the debug hook. */
  get labels(): { names: string[]; effects: { pops: number; pieces: number; glows: number } } {
    return { names: this.#names.names, effects: this.#effects?.running ?? { pops: 0, pieces: 0, glows: 0 } };
  }

  /**
   * How the board is shown: cell size in CSS px, whether the view follows your snake, and where
   * on the page (CSS px) the corner of cell (0, 0) is.
   */
  get view(): { cellPx: number; follow: boolean; x: number; y: number } {
    const v = this.#camera.view;
    return { cellPx: Math.round(v.cellPx * 100) / 100, follow: v.follow, x: v.x, y: v.y };
  }

  clear(): void {
    this.#food?.clear();
    this.#snakes.clear();
    this.#names.clear();
    this.#effects?.clear();
    this.#events.clear();
  }

  /** Display objects on stage, for the debug hook. */
  get counts(): { snakes: number; food: number } {
    return { snakes: this.#snakes.count, food: this.#food?.count ?? 0 };
  }

  #fit(): void {
    if (!this.#drawn) return;
    const view = this.#camera.layout(this.renderer.screen, this.#insets, this.#drawn.width, this.#drawn.height);
    if (this.#minimap) this.#minimap.shown = view.follow;
    this.#apply(view);
  }

  #apply(view: View): void {
    this.#world.scale.set(Math.max(0.05, view.cellPx / CELL_PX));
    this.#world.position.set(view.x, view.y);
  }

  /** World units to CSS px on the screen (into the shared #at). */
  #toScreen(x: number, y: number): { x: number; y: number } {
    const w = this.#world;
    this.#at.x = w.position.x + x * w.scale.x;
    this.#at.y = w.position.y + y * w.scale.y;
    return this.#at;
  }
}

function sameInsets(a: Insets, b: Insets): boolean {
  return a.top === b.top && a.right === b.right && a.bottom === b.bottom && a.left === b.left;
}
