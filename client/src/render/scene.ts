// The pixi.js stage: one Application filling the #game element, a world container scaled to
// fit the board into it (aspect kept, centred, refitted on resize), and three layers: board,
// food, snakes. The scene is told about ticks (sync) and frames (frame) and draws; it never
// touches the network or the DOM HUD.
// Tutorial: docs/tutorial/04-client.md

// pixi compiles its shaders without eval() when this is imported, so the page runs under a
// Content-Security-Policy that forbids 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
import { Application, Container } from 'pixi.js';
import type { WorldMirror } from '@snakepit/shared';
import { BoardLayer, CELL_PX } from './board.ts';
import { FoodLayer } from './food.ts';
import { BOARD_BG } from './palette.ts';
import { SnakeLayer } from './snakes.ts';

/** Space kept free around the board, in CSS pixels, for the HUD panels. */
export interface Insets {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export class Scene {
  readonly app = new Application();
  readonly #world = new Container({ label: 'world' });
  readonly #board = new BoardLayer();
  #food!: FoodLayer;
  readonly #snakes = new SnakeLayer();
  #width = 0;
  #height = 0;
  #insets: Insets = { top: 12, right: 12, bottom: 12, left: 12 };

  async init(host: HTMLElement): Promise<void> {
    await this.app.init({
      resizeTo: host,
      background: BOARD_BG,
      backgroundAlpha: 0,
      antialias: true,
      autoDensity: true,
      resolution: Math.min(window.devicePixelRatio || 1, 2),
      preference: 'webgl',
    });
    this.#food = new FoodLayer(this.app.renderer);
    this.#world.addChild(this.#board.view, this.#food.view, this.#snakes.view);
    this.app.stage.addChild(this.#world);
    host.appendChild(this.app.canvas);
    this.app.renderer.on('resize', () => this.#fit());
  }

  /** Which renderer pixi chose: 'webgl' is what we ask for. */
  get rendererName(): string {
    return this.app.renderer.name;
  }

  /** Keeps the board clear of the HUD (the page decides where its panels are). */
  setInsets(insets: Insets): void {
    this.#insets = insets;
    this.#fit();
  }

  setBoard(width: number, height: number): void {
    if (width === this.#width && height === this.#height) return;
    this.#width = width;
    this.#height = height;
    this.#board.setSize(width, height);
    this.#fit();
  }

  /** Per tick (and per snapshot): bring every layer in line with the world. */
  sync(world: WorldMirror, myId: number | null, now: number): void {
    this.#board.setStones(world.stones, this.#width);
    this.#food.sync(world.food, this.#width, now);
    this.#snakes.sync(world.snakes, this.#width, myId);
  }

  /** Per frame: move what moves between ticks. */
  frame(world: WorldMirror, alpha: number, now: number): void {
    this.#snakes.frame(world.snakes, this.#width, alpha);
    this.#food.frame(now);
  }

  clear(): void {
    this.#food?.clear();
    this.#snakes.clear();
  }

  /** Display objects on stage, for the debug hook. */
  get counts(): { snakes: number; food: number } {
    return { snakes: this.#snakes.count, food: this.#food?.count ?? 0 };
  }

  #fit(): void {
    if (!this.#width) return;
    const { width: sw, height: sh } = this.app.screen;
    const { top, right, bottom, left } = this.#insets;
    const aw = Math.max(1, sw - left - right);
    const ah = Math.max(1, sh - top - bottom);
    const bw = this.#width * CELL_PX;
    const bh = this.#height * CELL_PX;
    const scale = Math.max(0.05, Math.min(aw / bw, ah / bh));
    this.#world.scale.set(scale);
    this.#world.position.set(Math.round(left + (aw - bw * scale) / 2), Math.round(top + (ah - bh * scale) / 2));
  }
}
