// The client's copy of a room, rebuilt from the server's messages: a snapshot sets it, each
// tick delta moves it on by exactly one tick. The browser draws from it and the bench bots
// steer by it. It also remembers what the last tick changed (where heads came from, which tail
// cells were dropped, who died where) so a renderer can animate between ticks, and, per player,
// whether they are away and the last of their turns the tick includes (`ack`), which a page
// predicting its own snake replays the rest of its turns on top of.
// Tutorial: docs/tutorial/03-state-sync.md

import { Board } from '../board.js';
import type { DeathCause } from '../rules/state.js';
import { TopScores } from '../top-scores.js';
import type { PlayerView, SnapshotMessage, TickMessage, TopEntry } from './messages.js';
import { SECTIONS } from './sections.js';

export interface MirrorSnake {
  /** Cells, head first. */
  body: number[];
  /** Did the head advance on the last applied tick (false right after a spawn)? */
  moved: boolean;
  /** Tail cells dropped on the last applied tick, nearest the tail first. */
  trimmed: number[];
}

export interface MirrorDeath {
  readonly id: number;
  readonly cause: DeathCause;
  readonly body: readonly number[];
}

/** A delta that does not follow the mirror's tick: the client should send `resync` for a snapshot. */
export class TickGapError extends Error {
  constructor(have: number, got: number) {
    super(`tick ${got} does not follow tick ${have}`);
    this.name = 'TickGapError';
  }
}

export class WorldMirror {
  /** 0 until the first snapshot arrives. */
  tick = 0;
  ready = false;
  /** The board (from the snapshot); a 1x1 placeholder until then. */
  board = new Board({ width: 1, height: 1, walls: 'solid' });
  readonly players = new Map<number, PlayerView>();
  readonly snakes = new Map<number, MirrorSnake>();
  readonly food = new Map<number, number>();
  stones: readonly number[] = [];
  #top = new TopScores();
  /** Snakes that died on the last applied tick, with the bodies they had. */
  deaths: MirrorDeath[] = [];

  applySnapshot(msg: SnapshotMessage): void {
    this.tick = msg.tick;
    this.ready = true;
    this.board = new Board(msg.board);
    this.players.clear();
    for (const p of msg.players) this.players.set(p.id, { ...p });
    this.snakes.clear();
    for (const s of msg.snakes) this.snakes.set(s.id, { body: [...s.body], moved: false, trimmed: [] });
    this.food.clear();
    for (const [cell, value] of msg.food) this.food.set(cell, value);
    this.stones = [...msg.stones];
    this.#top = new TopScores(msg.top);
    this.deaths = [];
  }

  /** The room's top-scores table, best first. */
  get top(): readonly TopEntry[] {
    return this.#top.table;
  }

  /** Moves the mirror on by one tick. Throws TickGapError if `msg` is not the next tick. */
  applyTick(msg: TickMessage): void {
    if (!this.ready || msg.tick !== this.tick + 1) throw new TickGapError(this.tick, msg.tick);
    this.tick = msg.tick;
    this.deaths = [];
    for (const s of this.snakes.values()) {
      s.moved = false;
      s.trimmed = [];
    }
    // Each present section, in table order (sections.ts says how each applies).
    const fields = msg as Readonly<Record<string, unknown>>;
    for (const section of SECTIONS) {
      const value = fields[section.key];
      if (value !== undefined) section.apply(this, value);
    }
  }

  /** Records a line of the top-scores table (a tick's `top` section). */
  recordTop(line: TopEntry): void {
    this.#top.record(line.name, line.score);
  }

  /** The mirror as a snapshot message: what the server would send for this tick. */
  toSnapshot(): SnapshotMessage {
    return {
      type: 'snapshot',
      tick: this.tick,
      board: this.board.spec(),
      players: [...this.players.values()].map((p) => ({ ...p })),
      snakes: [...this.players.keys()].flatMap((id) => {
        const s = this.snakes.get(id);
        return s ? [{ id, body: [...s.body] }] : [];
      }),
      food: [...this.food].sort((a, b) => a[0] - b[0]),
      stones: [...this.stones],
      top: [...this.top],
    };
  }
}
