// The shape of a game: everything one room's simulation knows, as plain immutable data.
// A GameState is a value: step() never changes one, it returns the next. The RNG state is part of
// it, so a state plus the inputs that follow it determine the rest of the game exactly.
// Tutorial: docs/tutorial/02-rules.md

import type { BoardSpec } from '../board.js';
import type { DeathCause } from '../protocol/codes.js';
import type { Dir } from '../grid.js';

/** Per-room rules settings. Fixed for the life of a room. The board part is its size and walls. */
export interface RulesConfig extends BoardSpec {
  /** Snakes (playing members) allowed at once. */
  readonly maxPlayers: number;
  /** Stone cells placed when the room is created; 0 switches stones off. */
  readonly stones: number;
  /** Food kept on the board: foodBase + foodPerSnake * live snakes, in items. */
  readonly foodBase: number;
  readonly foodPerSnake: number;
}

export interface Snake {
  /** Cells, head first. Always at least one cell. */
  readonly body: readonly number[];
  /** The direction the snake moved on its last tick (its facing, when just spawned). */
  readonly dir: Dir;
  /** Cells still to grow: while > 0 the tail stays put and this counts down. */
  readonly grow: number;
}

export interface Player {
  readonly id: number;
  readonly name: string;
  /** Points this life (reset when the player spawns again). */
  readonly score: number;
  /** Best score over this player's lives in the room. */
  readonly best: number;
  /** The player's snake, or null while dead or not yet placed. */
  readonly snake: Snake | null;
  /** Turns waiting to be applied, oldest first, at most MAX_QUEUED_TURNS. */
  readonly turns: readonly QueuedTurn[];
  /** The highest sequence number of this player's turns that reached the rules; 0 before any. */
  readonly seq: number;
  /**
   * The player's connection dropped and they may come back: their snake holds still, an
   * obstacle to others, until they do (or leave).
   */
  readonly away: boolean;
  /** Played by the server (rooms/bots), not a person; left out for people. */
  readonly bot?: true;
}

/** A turn waiting in a player's queue, with the sequence number the player's page gave it. */
export interface QueuedTurn {
  readonly dir: Dir;
  readonly seq: number;
}

export interface GameState {
  readonly config: RulesConfig;
  /** Ticks stepped so far; the first step() returns tick 1. */
  readonly tick: number;
  /** The seeded generator's state (see rng.ts). */
  readonly rng: number;
  /** Everyone playing, in join order. */
  readonly players: readonly Player[];
  /** Food on the board: cell -> value (1..9). */
  readonly food: ReadonlyMap<number, number>;
  /** Stone cells, ascending. They never move. */
  readonly stones: readonly number[];
}

/** What happened between two ticks, as far as the rules are concerned. Arrival order is kept. */
export interface TickInputs {
  readonly joins?: readonly { readonly id: number; readonly name: string; readonly bot?: true }[];
  readonly leaves?: readonly number[];
  /** Turns pressed, with the page's sequence number (a turn without one keeps the player's). */
  readonly turns?: readonly { readonly id: number; readonly dir: Dir; readonly seq?: number }[];
  /** Players whose connection dropped: their snakes hold still until they are `back`. */
  readonly away?: readonly number[];
  readonly back?: readonly number[];
  readonly respawns?: readonly number[];
}

export type { DeathCause };

/** What a tick did, for the server to log, score and announce. */
export type GameEvent =
  | { readonly type: 'joined'; readonly id: number; readonly name: string; readonly bot?: true }
  | { readonly type: 'left'; readonly id: number }
  | { readonly type: 'spawned'; readonly id: number }
  | { readonly type: 'spawn-failed'; readonly id: number }
  | { readonly type: 'ate'; readonly id: number; readonly cell: number; readonly value: number }
  | {
      readonly type: 'died';
      readonly id: number;
      readonly cause: DeathCause;
      /** The other snake involved, for 'snake' and 'head-on'. */
      readonly by: number | null;
      readonly score: number;
    };

export interface StepResult {
  readonly state: GameState;
  readonly events: readonly GameEvent[];
}
