// Effects that answer what happens: "+N" rising where food is eaten, a dead snake's body falling
// apart into the food it leaves, a brief glow round a snake that (re)appears. Made from a few
// shared shapes and pooled display objects: an effect costs a handful of property writes per
// frame while it runs, and nothing once it is over. The bursts and glows live in the world
// (they scale with the board); the "+N" in screen space, crisp at every zoom, like the names.
// Must not: allocate per frame, or keep an effect past its time.
// Tutorial: docs/tutorial/04-drawing.md

import type { Board } from '@snakepit/shared';
import { Container, Graphics, GraphicsContext, Sprite, type Texture } from 'pixi.js';
import { CELL_PX } from './board.ts';
import type { TickEvents } from './events.ts';
import { labelTexture } from './label.ts';
import { FOOD_TEXT, snakeColour } from './palette.ts';
import { putAway } from './pool.ts';

const POP_MS = 800;
/** How far a "+N" rises, in CSS px. */
const POP_RISE_PX = 22;
const BURST_MS = 550;
/** A body longer than this falls apart as this many pieces (spread along it). */
const BURST_PIECES_MAX = 60;
/** How far a piece drifts, in cells. */
const BURST_DRIFT_CELLS = 0.45;
const GLOW_MS = 700;

interface Pop {
  sprite: Sprite;
  cell: number;
  born: number;
}
interface Piece {
  g: Graphics;
  x: number;
  y: number;
  dx: number;
  dy: number;
  born: number;
}
interface Glow {
  g: Graphics;
  id: number;
  born: number;
}

/** Where a head is in world units, or null when it is not drawn. */
export type HeadInWorld = (id: number) => { x: number; y: number } | null;
/** Where a cell's centre is on the screen, in CSS px. */
export type CellOnScreen = (cell: number) => { x: number; y: number };

export class EffectLayer {
  /** In the world, above the snakes. */
  readonly world = new Container({ label: 'effects' });
  /** In screen space, with the names. */
  readonly overlay = new Container({ label: 'effects-overlay' });
  readonly #digits: Texture[] = [];
  readonly #dot = new GraphicsContext().circle(0, 0, CELL_PX * 0.3).fill(0xffffff);
  readonly #ring = new GraphicsContext().circle(0, 0, CELL_PX * 0.6).stroke({ width: 3, color: 0xffffff });
  readonly #pops: Pop[] = [];
  readonly #pieces: Piece[] = [];
  readonly #glows: Glow[] = [];
  readonly #freeSprites: Sprite[] = [];
  readonly #freeDots: Graphics[] = [];
  readonly #freeRings: Graphics[] = [];

  constructor() {
    const style = { font: '800 15px system-ui, sans-serif', fill: FOOD_TEXT, stroke: { color: 0x0b0f14, width: 3 } };
    const resolution = Math.min(window.devicePixelRatio || 1, 2) * 1.5;
    for (let d = 0; d <= 9; d++) this.#digits.push(labelTexture(`+${d}`, style, resolution));
  }

  /** Per tick: start the effects of what the tick did. */
  start(events: TickEvents, board: Board, now: number): void {
    for (const eat of events.eats) {
      const sprite = this.#freeSprites.pop() ?? this.#newSprite();
      sprite.texture = this.#digits[eat.value] ?? this.#digits[0]!;
      sprite.scale.set(1);
      sprite.alpha = 1;
      this.#pops.push({ sprite, cell: eat.cell, born: now });
    }
    for (const death of events.deaths) {
      const body = death.body;
      const every = Math.max(1, Math.ceil(body.length / BURST_PIECES_MAX));
      for (let i = 0; i < body.length; i += every) {
        const g = this.#freeDots.pop() ?? this.#newDot();
        g.tint = snakeColour(death.id);
        // Each piece drifts its own way: spread round the circle by its place in the body.
        const angle = i * 2.399963; // the golden angle, so neighbours part in different directions
        const x = (board.x(body[i]!) + 0.5) * CELL_PX;
        const y = (board.y(body[i]!) + 0.5) * CELL_PX;
        const drift = BURST_DRIFT_CELLS * CELL_PX * (0.5 + ((i * 7) % 5) / 8);
        this.#pieces.push({ g, x, y, dx: Math.cos(angle) * drift, dy: Math.sin(angle) * drift, born: now });
      }
    }
    for (const id of events.spawns) {
      const g = this.#freeRings.pop() ?? this.#newRing();
      g.tint = snakeColour(id);
      putAway(g); // placed on the next frame, where the head is drawn
      this.#glows.push({ g, id, born: now });
    }
  }

  /** Per frame: move and fade what is running, and put away what is over. */
  frame(now: number, headInWorld: HeadInWorld, toScreen: CellOnScreen): void {
    for (let i = this.#pops.length - 1; i >= 0; i--) {
      const pop = this.#pops[i]!;
      const t = (now - pop.born) / POP_MS;
      if (t >= 1) {
        putAway(pop.sprite);
        this.#freeSprites.push(pop.sprite);
        this.#pops.splice(i, 1);
        continue;
      }
      const at = toScreen(pop.cell);
      pop.sprite.position.set(Math.round(at.x), Math.round(at.y - POP_RISE_PX * easeOut(t)));
      pop.sprite.alpha = 1 - t * t;
    }
    for (let i = this.#pieces.length - 1; i >= 0; i--) {
      const p = this.#pieces[i]!;
      const t = (now - p.born) / BURST_MS;
      if (t >= 1) {
        putAway(p.g);
        this.#freeDots.push(p.g);
        this.#pieces.splice(i, 1);
        continue;
      }
      const e = easeOut(t);
      p.g.position.set(p.x + p.dx * e, p.y + p.dy * e);
      p.g.scale.set(1 - 0.6 * t);
      p.g.alpha = 1 - t;
    }
    for (let i = this.#glows.length - 1; i >= 0; i--) {
      const glow = this.#glows[i]!;
      const t = (now - glow.born) / GLOW_MS;
      const head = headInWorld(glow.id);
      if (t >= 1) {
        putAway(glow.g);
        this.#freeRings.push(glow.g);
        this.#glows.splice(i, 1);
        continue;
      }
      if (!head) {
        putAway(glow.g);
        continue;
      }
      glow.g.position.set(head.x, head.y);
      glow.g.scale.set(1 + 1.6 * easeOut(t));
      glow.g.alpha = 0.9 * (1 - t);
    }
  }

  /** Effects running now (for the debug hook and the bench). */
  get running(): { pops: number; pieces: number; glows: number } {
    return { pops: this.#pops.length, pieces: this.#pieces.length, glows: this.#glows.length };
  }

  clear(): void {
    for (const pop of this.#pops) {
      putAway(pop.sprite);
      this.#freeSprites.push(pop.sprite);
    }
    for (const p of this.#pieces) {
      putAway(p.g);
      this.#freeDots.push(p.g);
    }
    for (const glow of this.#glows) {
      putAway(glow.g);
      this.#freeRings.push(glow.g);
    }
    this.#pops.length = 0;
    this.#pieces.length = 0;
    this.#glows.length = 0;
  }

  #newSprite(): Sprite {
    const sprite = new Sprite();
    sprite.anchor.set(0.5, 1);
    this.overlay.addChild(sprite);
    return sprite;
  }

  #newDot(): Graphics {
    const g = new Graphics(this.#dot);
    this.world.addChild(g);
    return g;
  }

  #newRing(): Graphics {
    const g = new Graphics(this.#ring);
    this.world.addChild(g);
    return g;
  }
}

function easeOut(t: number): number {
  return 1 - (1 - t) * (1 - t);
}
