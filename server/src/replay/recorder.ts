// Records one room for replays while it runs: a keyframe (the state itself: states are values,
// never changed, so keeping one costs a reference) when it starts and every KEYFRAME_EVERY_S,
// and each tick's inputs in between. When a snake dies, the inputs so far go to the store with
// the life (its first and last tick), and the player is given the life's replay id.
// Must not: change the game, or do more than keep references during a tick: encoding and
// writing happen in the store's batch, off the tick path (`npm run bench` measures it).
// Tutorial: docs/tutorial/06-resume.md

import { randomBytes } from 'node:crypto';
import type { GameEvent, GameState, TickInputs } from '@snakepit/shared';
import { KEYFRAME_EVERY_S, type RecordedTick, type ReplayStore, compactTick } from '../store/replays.js';

/** A new recording's or replay's id: 9 random bytes, 12 characters of base64url (REPLAY_ID_PATTERN). */
export function newReplayId(): string {
  return randomBytes(9).toString('base64url');
}

export interface RecorderOptions {
  readonly room: string;
  readonly tickRate: number;
  readonly store: ReplayStore;
  /** When a life ended, ms since the epoch. */
  readonly now?: () => number;
}

/** A life that just ended and was recorded: tell `player` it can watch `id`. */
export interface RecordedLife {
  readonly player: number;
  readonly id: string;
}

export class Recorder {
  readonly recording = newReplayId();
  readonly #keyframeEvery: number;
  /** The tick of the last keyframe; -1 before the first step. */
  #keyframeAt = -1;
  /** Ticks recorded since `#flushedTo` (only those with inputs). */
  #ticks: RecordedTick[] = [];
  #flushedTo = 0;
  /** Each live snake's first tick (the tick before it appeared). */
  readonly #lifeFrom = new Map<number, number>();

  constructor(private readonly options: RecorderOptions) {
    this.#keyframeEvery = Math.max(1, Math.round(KEYFRAME_EVERY_S * options.tickRate));
  }

  /** One tick: step(prev, inputs) gave next and events. Returns the lives it recorded. */
  step(prev: GameState, inputs: TickInputs, next: GameState, events: readonly GameEvent[]): RecordedLife[] {
    if (this.#keyframeAt < 0) this.#start(prev);
    const t = compactTick(next.tick, inputs);
    if (t) this.#ticks.push(t);
    let lives: RecordedLife[] | null = null;
    for (const e of events) {
      if (e.type === 'spawned') this.#lifeFrom.set(e.id, prev.tick);
      else if (e.type === 'left') this.#lifeFrom.delete(e.id);
      else if (e.type === 'died') {
        const from = this.#lifeFrom.get(e.id) ?? this.#keyframeAt;
        this.#lifeFrom.delete(e.id);
        const player = prev.players.find((p) => p.id === e.id);
        if (!player) continue;
        this.#flush(next.tick);
        const id = newReplayId();
        const { room, store, now = Date.now } = this.options;
        store.saveLife({
          id,
          recording: this.recording,
          room,
          player: e.id,
          name: player.name,
          score: e.score,
          from,
          to: next.tick,
          at: now(),
        });
        if (lives === null) lives = [];
        lives.push({ player: e.id, id });
      }
    }
    if (next.tick - this.#keyframeAt >= this.#keyframeEvery) {
      this.#flush(next.tick);
      this.#keyframe(next);
    }
    return lives ?? NONE;
  }

  /** The room closed: a recording in which no snake died is not kept. */
  end(): void {
    if (this.#keyframeAt >= 0) this.options.store.endRecording(this.recording);
  }

  /** The first step: a keyframe of the state the room starts from; its snakes' lives start here. */
  #start(state: GameState): void {
    this.#flushedTo = state.tick;
    this.#keyframe(state);
    for (const p of state.players) if (p.snake) this.#lifeFrom.set(p.id, state.tick);
  }

  #keyframe(state: GameState): void {
    this.#keyframeAt = state.tick;
    const { room, tickRate, store } = this.options;
    store.saveKeyframe({ recording: this.recording, room, tickRate, state });
  }

  /** Hands the inputs of ticks up to `to` to the store. */
  #flush(to: number): void {
    if (to <= this.#flushedTo) return;
    this.options.store.saveInputs({ recording: this.recording, from: this.#flushedTo, to, ticks: this.#ticks });
    this.#ticks = [];
    this.#flushedTo = to;
  }
}

const NONE: RecordedLife[] = [];
