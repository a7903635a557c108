// A recorded life as a timeline the viewer can play, pause and scrub: the game state at any tick
// from the replay's start to the tick the snake died, made by running the shared step() over
// the recorded inputs (the same rules the room ran, so the same game). States every
// CACHE_EVERY ticks are kept, so a seek steps at most that many ticks. Pure: no DOM, no pixi,
// tested in client/test/replay.test.ts.
// Tutorial: docs/tutorial/04-drawing.md

import { type Dir, type GameEvent, type GameState, type TickInputs, step } from '@snakepit/shared';

/** What GET /api/replays/:id answers (server/src/routes/replays.ts). */
export interface ReplayData {
  readonly id: string;
  readonly room: string;
  readonly player: { readonly id: number; readonly name: string };
  readonly score: number;
  readonly tickRate: number;
  readonly from: number;
  readonly to: number;
  readonly at: string;
  readonly start: Omit<GameState, 'food'> & { readonly food: readonly (readonly [number, number])[] };
  readonly ticks: readonly (TickInputs & { readonly tick: number })[];
}

/** States kept for seeking: one every this many ticks. */
export const CACHE_EVERY = 50;

/** A reply that is not a replay this page can play: says what is wrong. */
export function checkReplay(data: unknown): ReplayData {
  const r = data as Partial<ReplayData> | null;
  const ok =
    typeof r === 'object' &&
    r !== null &&
    Number.isInteger(r.from) &&
    Number.isInteger(r.to) &&
    typeof r.tickRate === 'number' &&
    r.tickRate > 0 &&
    typeof r.player?.id === 'number' &&
    Array.isArray(r.ticks) &&
    typeof r.start === 'object' &&
    r.start !== null &&
    Array.isArray(r.start.players) &&
    Array.isArray(r.start.food) &&
    Number.isInteger(r.start.tick) &&
    r.start.tick <= r.from! &&
    r.from! < r.to!;
  if (!ok) throw new Error('the server sent something that is not a replay');
  return r as ReplayData;
}

export class Timeline {
  /** The first tick shown (the life's start, or the recording's) and the last (its death). */
  readonly first: number;
  readonly last: number;
  readonly #start: GameState;
  readonly #inputs = new Map<number, TickInputs>();
  readonly #cache = new Map<number, GameState>();

  constructor(readonly data: ReplayData) {
    const s = data.start;
    this.#start = {
      ...s,
      config: Object.freeze({ ...s.config }),
      players: s.players.map((p) => ({ ...p, snake: p.snake && { ...p.snake, dir: p.snake.dir as Dir } })),
      food: new Map(s.food.map(([cell, value]) => [cell, value] as [number, number])),
    };
    for (const t of data.ticks) this.#inputs.set(t.tick, t);
    this.first = data.from;
    this.last = data.to;
    this.#cache.set(this.#start.tick, this.#start);
  }

  /** One step on from `state` with the inputs recorded for the next tick. */
  next(state: GameState): { state: GameState; events: readonly GameEvent[] } {
    return step(state, this.#inputs.get(state.tick + 1) ?? {});
  }

  /** The state at `tick` (clamped to the recording), from the nearest kept state before it. */
  at(tick: number): GameState {
    const want = Math.max(this.#start.tick, Math.min(this.last, Math.floor(tick)));
    let base = want - ((want - this.#start.tick) % CACHE_EVERY);
    while (!this.#cache.has(base)) base -= CACHE_EVERY;
    let state = this.#cache.get(base)!;
    while (state.tick < want) {
      state = this.next(state).state;
      if ((state.tick - this.#start.tick) % CACHE_EVERY === 0) this.#cache.set(state.tick, state);
    }
    return state;
  }

  /** Seconds of play from the first tick to `tick`. */
  seconds(tick: number): number {
    return (tick - this.first) / this.data.tickRate;
  }
}
