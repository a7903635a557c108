// What a shown tick did that a player should notice: who ate what where, who died (with the body
// that falls apart), who (re)appeared, who arrived. Worked out by comparing the world with the
// one shown before, so it needs nothing from the protocol beyond what the mirror already holds.
// Effects (effects.ts, names.ts) and sounds (audio/sounds.ts) are driven from it.
// Must not: keep display objects or change the world; a snapshot (a fresh start) is no event.
// Tutorial: docs/tutorial/04-drawing.md

import type { WorldMirror } from '@snakepit/shared';

export interface TickEvents {
  /** Food eaten: by whom, on which cell, and its digit. */
  readonly eats: readonly { readonly id: number; readonly cell: number; readonly value: number }[];
  /** Snakes that died, with the cells they had. */
  readonly deaths: readonly { readonly id: number; readonly body: readonly number[] }[];
  /** Snakes that appeared: a first spawn or a respawn. */
  readonly spawns: readonly number[];
  /** Players who arrived in the room. */
  readonly joins: readonly number[];
}

export const NO_EVENTS: TickEvents = Object.freeze({ eats: [], deaths: [], spawns: [], joins: [] });

export class EventTracker {
  /** The tick compared with last; NaN before the first world (or after clear()). */
  #tick = Number.NaN;
  #food = new Map<number, number>();
  #snakes = new Set<number>();
  #players = new Set<number>();

  /** The events between the world seen last and `world`, then remembers `world`. */
  update(world: WorldMirror): TickEvents {
    if (!world.ready) return NO_EVENTS;
    // Only a tick that follows the one seen is news; a snapshot or a jump starts afresh.
    const follows = world.tick > this.#tick && world.tick - this.#tick <= 2;
    const events = follows ? this.#diff(world) : NO_EVENTS;
    this.#tick = world.tick;
    this.#food = new Map(world.food);
    this.#snakes = new Set(world.snakes.keys());
    this.#players = new Set(world.players.keys());
    return events;
  }

  /** A new connection or room: nothing seen yet. */
  clear(): void {
    this.#tick = Number.NaN;
    this.#food.clear();
    this.#snakes.clear();
    this.#players.clear();
  }

  #diff(world: WorldMirror): TickEvents {
    const eats: { id: number; cell: number; value: number }[] = [];
    const spawns: number[] = [];
    for (const [id, snake] of world.snakes) {
      if (!this.#snakes.has(id)) spawns.push(id);
      else if (snake.moved) {
        const value = this.#food.get(snake.body[0]!);
        if (value !== undefined) eats.push({ id, cell: snake.body[0]!, value });
      }
    }
    const joins: number[] = [];
    for (const id of world.players.keys()) if (!this.#players.has(id)) joins.push(id);
    const deaths = world.deaths.map((d) => ({ id: d.id, body: d.body }));
    if (eats.length + spawns.length + joins.length + deaths.length === 0) return NO_EVENTS;
    return { eats, deaths, spawns, joins };
  }
}
