// The server's bots: how many a room wants, what they are called, and, each tick, which way
// each one steers. A room (rooms/room.ts) seats them, and their turns go through the same
// handler and queue as a person's; this module only reads the state and answers directions.
// Thinking is budgeted per room per tick (BOT_THINK_BUDGET_MS): bots past the budget keep
// going straight this tick, the next tick starts with them.
// Must not: write the game state, or hold anything between ticks but scratch buffers.
// Tutorial: docs/tutorial/02-rules.md

import { Board, type Dir, type GameState, type RulesConfig } from '@snakepit/shared';
import { type Sight, Scratch, chooseDir, foodField, foodFieldPays } from './brain.js';

/**
 * The most a room's bots may think per tick, in ms. One bot takes about 0.01 ms on the default
 * board (`npm run bench -- --scenario bots`), so only a room of hundreds of bots reaches it.
 */
export const BOT_THINK_BUDGET_MS = 2;

/** Ticks a dead bot waits before playing again: about as long as a person reading "game over". */
export const BOT_RESPAWN_S = 1.5;

/** Bots' names, in the order new bots take them; the `bot` flag, not the name, says what they are. */
export const BOT_NAMES = [
  'Ada',
  'Bit',
  'Cog',
  'Dot',
  'Echo',
  'Flux',
  'Gizmo',
  'Hex',
  'Ion',
  'Jolt',
  'Kilo',
  'Lux',
  'Mox',
  'Nano',
  'Ohm',
  'Pix',
] as const;

/** Who is in a room, as far as bots care. */
export interface Seats {
  /** People playing and connected: bots keep them company. */
  readonly present: number;
  /** People with a seat: those, and those held for a resume (their seats are kept). */
  readonly humans: number;
  /** The most snakes the room seats. */
  readonly maxPlayers: number;
  /** The room's bot setting: bots keep it at this many snakes; 0 for none. */
  readonly minSnakes: number;
}

/**
 * How many bots a room wants: none without a person playing here now (a room of bots alone, or
 * of bots and players who dropped, is nobody's game); else enough to make `minSnakes` snakes,
 * but never the last seat a person could take.
 */
export function botsWanted(s: Seats): number {
  if (s.present === 0 || s.minSnakes === 0) return 0;
  return Math.max(0, Math.min(s.minSnakes - s.humans, s.maxPlayers - s.humans - 1));
}

/** A name for a new bot, not taken by anyone in `state`. */
export function botName(state: GameState, serial: number): string {
  const taken = new Set(state.players.map((p) => p.name));
  for (let i = 0; i < BOT_NAMES.length; i++) {
    const name = BOT_NAMES[(serial + i) % BOT_NAMES.length]!;
    if (!taken.has(name)) return name;
  }
  return `${BOT_NAMES[serial % BOT_NAMES.length]} ${serial}`;
}

/** One room's bots' thinking, with buffers sized to its board and reused every tick. */
export class BotBrains {
  readonly #board: Board;
  readonly #blocked: Uint8Array;
  readonly #scratch: Scratch;
  readonly #foodDistance: Uint32Array;
  readonly #foodQueue: Int32Array;
  /** Where the next tick's thinking starts, so a budget cut does not always skip the same bots. */
  #next = 0;

  constructor(rules: RulesConfig) {
    this.#board = Board.of(rules);
    const cells = this.#board.cells;
    this.#blocked = new Uint8Array(cells);
    this.#scratch = new Scratch(cells);
    this.#foodDistance = new Uint32Array(cells);
    this.#foodQueue = new Int32Array(cells);
  }

  /**
   * The way each of `bots` (player ids) should move next, for those with a live snake whose
   * choice differs from the way it is going. `now` is a clock in ms; thinking stops once
   * `budgetMs` has passed. Returns the decisions and how many bots were thought about.
   */
  decide(
    state: GameState,
    bots: readonly number[],
    budgetMs = BOT_THINK_BUDGET_MS,
    now: () => number = performance.now.bind(performance),
  ): { turns: Map<number, Dir>; thought: number } {
    const turns = new Map<number, Dir>();
    if (bots.length === 0) return { turns, thought: 0 };
    const started = now();
    const sight = this.#see(state, bots.length);
    const byId = new Map(state.players.map((p) => [p.id, p]));
    let thought = 0;
    const start = this.#next % bots.length;
    for (let k = 0; k < bots.length; k++) {
      const i = (start + k) % bots.length;
      if (k > 0 && now() - started > budgetMs) {
        this.#next = i;
        return { turns, thought };
      }
      const snake = byId.get(bots[i]!)?.snake;
      thought++;
      if (!snake) continue;
      const dir = this.#choose(sight, state, bots[i]!, snake.body);
      if (dir !== null && dir !== snake.dir) turns.set(bots[i]!, dir);
    }
    this.#next = start + 1;
    return { turns, thought };
  }

  /** The board as bots see it: bodies and stones blocked, food listed. */
  #see(state: GameState, bots: number): Sight {
    const blocked = this.#blocked;
    blocked.fill(0);
    for (const s of state.stones) blocked[s] = 1;
    for (const p of state.players) if (p.snake) for (const c of p.snake.body) blocked[c] = 1;
    const food = [...state.food.keys()];
    const sight: Sight = { board: this.#board, blocked, food };
    if (!foodFieldPays(this.#board.cells, bots, food.length)) return sight;
    return { ...sight, foodDistance: foodField(sight, this.#foodDistance, this.#foodQueue) };
  }

  /**
   * The bot's move, keeping off the cells other heads may step into next (a head-on collision
   * kills both); when that leaves no way out, any move that is safe this tick.
   */
  #choose(sight: Sight, state: GameState, id: number, body: readonly number[]): Dir | null {
    const board = this.#board;
    const marked: number[] = [];
    for (const p of state.players) {
      if (p.id === id || !p.snake || p.away) continue;
      for (let d = 0; d < 4; d++) {
        const n = board.neighbour(p.snake.body[0]!, d as Dir);
        if (n >= 0 && !sight.blocked[n]) {
          sight.blocked[n] = 1;
          marked.push(n);
        }
      }
    }
    const careful = chooseDir(sight, body, this.#scratch);
    for (const n of marked) sight.blocked[n] = 0;
    return careful ?? chooseDir(sight, body, this.#scratch);
  }
}
