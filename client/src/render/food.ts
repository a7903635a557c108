// Food: one sprite per food cell, showing its digit on a disc. The ten textures are drawn once
// (label.ts, three texture pixels per world unit, so a digit stays sharp as the board scales up);
// sprites are kept in a pool and only the cells that changed in a tick are touched; one back in
// the pool is put away without being hidden (pool.ts), since food is eaten most ticks.
// A new item grows in over a few frames so it is noticed.
// Tutorial: docs/tutorial/04-drawing.md

import type { Board } from '@snakepit/shared';
import { Container, Sprite, type Texture } from 'pixi.js';
import { CELL_PX } from './board.ts';
import { labelTexture } from './label.ts';
import { FOOD_GLOW, FOOD_TEXT } from './palette.ts';
import { putAway } from './pool.ts';

const POP_MS = 180;

export class FoodLayer {
  readonly view = new Container({ label: 'food' });
  readonly #digits: Texture[] = [];
  readonly #sprites = new Map<number, { sprite: Sprite; value: number; born: number }>();
  readonly #pool: Sprite[] = [];
  /** Items still growing in; the per-frame work is only these. */
  readonly #popping = new Set<{ sprite: Sprite; born: number }>();

  constructor() {
    const style = { font: `700 ${CELL_PX * 0.85}px system-ui, sans-serif`, fill: FOOD_TEXT };
    const disc = { radius: CELL_PX * 0.48, color: FOOD_GLOW, alpha: 0.9 };
    for (let d = 0; d <= 9; d++) this.#digits.push(labelTexture(String(d), style, 3, disc));
  }

  /** Brings the sprites in line with `food` (cell -> value). */
  sync(food: ReadonlyMap<number, number>, board: Board, now: number): void {
    for (const [cell, entry] of this.#sprites) {
      if (food.get(cell) !== entry.value) {
        putAway(entry.sprite);
        this.#pool.push(entry.sprite);
        this.#sprites.delete(cell);
        this.#popping.delete(entry);
      }
    }
    for (const [cell, value] of food) {
      if (this.#sprites.has(cell)) continue;
      const sprite = this.#pool.pop() ?? this.#newSprite();
      sprite.texture = this.#digits[value] ?? this.#digits[0]!;
      sprite.position.set((board.x(cell) + 0.5) * CELL_PX, (board.y(cell) + 0.5) * CELL_PX);
      sprite.setSize(CELL_PX * 0.4, CELL_PX * 0.4);
      const entry = { sprite, value, born: now };
      this.#sprites.set(cell, entry);
      this.#popping.add(entry);
    }
  }

  /** Per frame: only new items animate. */
  frame(now: number): void {
    for (const entry of this.#popping) {
      const t = (now - entry.born) / POP_MS;
      const size = CELL_PX * (t >= 1 ? 1 : 0.4 + 0.6 * t);
      entry.sprite.setSize(size, size);
      if (t >= 1) this.#popping.delete(entry);
    }
  }

  clear(): void {
    for (const entry of this.#sprites.values()) {
      putAway(entry.sprite);
      this.#pool.push(entry.sprite);
    }
    this.#sprites.clear();
    this.#popping.clear();
  }

  get count(): number {
    return this.#sprites.size;
  }

  #newSprite(): Sprite {
    const sprite = new Sprite();
    sprite.anchor.set(0.5);
    this.view.addChild(sprite);
    return sprite;
  }
}
