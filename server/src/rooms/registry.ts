// Every live room, by id. join() gets or creates a room and starts its loop on the first
// member; the room is deleted and its loop stopped the moment nobody is in it: no member
// connected and no dropped player held for a resume (a room holding one ticks on, and goes
// when that player's grace ends). No timer, interval or listener is left behind, which the
// server tests check. A new room runs with its creator's choices, the rest from the server's
// configuration, fixed for its life.
// Restarts: checkpoints() gives every room as plain data for the store, and restore() makes the
// saved rooms again, not ticking, until someone comes (a resume starts the room) or the resume
// grace passes (the room is dropped, its lives recorded). A room that ends deletes its checkpoint;
// one closed for a restart keeps it.
// Rooms share nothing, which is what lets them spread over processes later (see README).
// Tutorial: docs/tutorial/02-rules.md

import { randomInt } from 'node:crypto';
import {
  type Codec,
  type ErrorCode,
  FOOD_BASE,
  FOOD_PER_SNAKE,
  type RoomChoice,
  type RoomSettings,
  type RulesConfig,
  resolveSettings,
} from '@snakepit/shared';
import type { Config } from '../config.js';
import { Recorder } from '../replay/recorder.js';
import { ServerStats } from '../stats.js';
import type { GameStore, RoomCheckpoint } from '../store.js';
import type { ReplayStore } from '../store/replays.js';
import type { Peer } from '../transport.js';
import type { Clock } from './loop.js';
import { Room, type RoomInfo, type RoomLog, type RoomOptions } from './room.js';

export interface RegistryOptions {
  readonly config: Config;
  readonly log: RoomLog;
  /** Fixes every room's seed (tests); by default each room gets a random one. */
  readonly seed?: number;
  readonly stats?: ServerStats;
  /** Rules for a room instead of the real step() (tests: a room whose tick fails). */
  readonly step?: (roomId: string) => RoomOptions['step'];
  /** Keeps each room's top scores, finished lives and checkpoints beyond the room's life. */
  readonly store?: GameStore;
  /** The clock for the dates of finished lives (ms since the epoch). */
  readonly now?: () => number;
  /** Every room loop's time and timer (a fake clock in tests). */
  readonly clock?: Clock;
  /** Where rooms are recorded for replays (replay/recorder.ts); not recorded without one. */
  readonly replays?: ReplayStore | null;
  /** Called after a room is deleted (a cluster member lets its lease go: cluster/member.ts). */
  readonly onDeleted?: (id: string) => void;
}

/**
 * Rooms tick in PHASE_SLOTS groups spread evenly over their tick interval, new rooms taking the
 * slots in turn. A group's rooms tick one after another in one wake-up of the event loop, so the
 * last is late by the group's work: few groups make big groups, and a big group's work runs
 * into the next group's turn. One moment per room would cost a wake-up per room instead. The
 * effect on tick lateness p99 shows in `npm run bench -- --scenario capacity`.
 */
const PHASE_SLOTS = 20;

export type JoinResult =
  | { readonly ok: true; readonly room: Room }
  /** `server-busy`: try again later; `room-error`: the room could not be made (a server fault). */
  | { readonly ok: false; readonly code: Extract<ErrorCode, 'server-busy' | 'room-error'>; readonly reason: string };

export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  /** What a room gets for every choice its creator left out: the server's configuration. */
  readonly defaults: RoomSettings;
  readonly stats: ServerStats;
  #closing = false;
  /** Rooms created so far: the n-th takes phase slot n mod PHASE_SLOTS. */
  #created = 0;
  /** A number per room for checkpoint slices, fixed for the room's life. */
  readonly #serials = new WeakMap<Room, number>();
  #nextSerial = 0;
  /** Restored rooms nobody has come back to yet, and the timer that drops them. */
  readonly #waiting = new Set<Room>();
  #dropTimer: ReturnType<typeof setTimeout> | null = null;
  /** Each recorded room's recorder, told when its room goes. */
  readonly #recorders = new WeakMap<Room, Recorder>();

  constructor(private readonly options: RegistryOptions) {
    const { config } = options;
    this.stats = options.stats ?? new ServerStats();
    this.defaults = Object.freeze({
      width: config.gridWidth,
      height: config.gridHeight,
      walls: config.walls,
      tickRate: config.tickRate,
      stones: config.stones,
      bots: config.botsMinSnakes,
    });
  }

  get size(): number {
    return this.#rooms.size;
  }

  get(id: string): Room | undefined {
    return this.#rooms.get(id);
  }

  list(): RoomInfo[] {
    return [...this.#rooms.values()].map((r) => r.info());
  }

  /** Players and spectators over every room. */
  totals(): { players: number; spectators: number } {
    let players = 0;
    let spectators = 0;
    for (const r of this.#rooms.values()) {
      const info = r.info();
      players += info.players;
      spectators += info.spectators;
    }
    return { players, spectators };
  }

  /** Why a connection to room `id` would be refused now, or null if it would be let in. */
  refusal(id: string): string | null {
    if (this.#closing) return 'server is shutting down';
    if (!this.#rooms.has(id) && this.#rooms.size >= this.options.config.maxRooms) {
      return `server is full: ${this.options.config.maxRooms} rooms are open, try an existing one`;
    }
    return null;
  }

  /**
   * Adds `peer` to room `id`. A room that does not exist yet is created with `choice` (the rest
   * from the server's defaults) and its loop started; an existing room ignores `choice`.
   * `resume` is the token from `?resume=`: the room gives back the player it names, or says
   * `bad-token` (a token from another room names nothing here).
   */
  join(id: string, peer: Peer, codec?: Codec, choice: RoomChoice = {}, resume?: string): JoinResult {
    const refusal = this.refusal(id);
    if (refusal) return { ok: false, code: 'server-busy', reason: refusal };
    let room = this.#rooms.get(id);
    if (!room) {
      const made = this.#create(id, resolveSettings(choice, this.defaults));
      if (!made.ok) return made;
      room = made.room;
    }
    room.add(peer, codec, resume);
    this.#waiting.delete(room);
    if (!room.running) room.start((this.#created++ % PHASE_SLOTS) / PHASE_SLOTS);
    return { ok: true, room };
  }

  /** Removes `peer`; a room left with nobody connected or held is stopped and deleted at once. */
  leave(room: Room, peer: Peer): void {
    room.remove(peer);
    if (room.idle) this.#delete(room);
  }

  /**
   * Shutdown: refuse new joins, stop every loop, close every member with `code`; held players go
   * with their rooms. With `keepCheckpoints` (a restart) the rooms' checkpoints stay in the store.
   */
  closeAll(code: number, reason: string, keepCheckpoints = false): void {
    this.#closing = true;
    if (this.#dropTimer) clearTimeout(this.#dropTimer);
    this.#dropTimer = null;
    this.#waiting.clear();
    for (const room of [...this.#rooms.values()]) {
      room.stop();
      room.closeMembers(code, reason);
      this.#delete(room, keepCheckpoints);
    }
  }

  /** Stops every room's loop, rooms and members kept (a cluster drains: saved as they stand). */
  stopLoops(): void {
    for (const room of this.#rooms.values()) room.stop();
  }

  /**
   * A cluster member lost room `id` (cluster/member.ts): stop it now and close its members with
   * `code`; its checkpoint stays, for the instance that takes the room next.
   */
  evict(id: string, code: number, reason: string): void {
    const room = this.#rooms.get(id);
    if (!room) return;
    room.stop();
    room.closeMembers(code, reason);
    this.#delete(room, true);
  }

  /**
   * Every room that has changed since it was restored, as plain data for the store; or, with
   * `of` > 1, slice `part` of them (each room always falls in the same slice while it lives).
   */
  checkpoints(part = 0, of = 1): RoomCheckpoint[] {
    const out: RoomCheckpoint[] = [];
    for (const room of this.#rooms.values()) {
      if (this.#waiting.has(room)) continue;
      let serial = this.#serials.get(room);
      if (serial === undefined) {
        serial = this.#nextSerial++;
        this.#serials.set(room, serial);
      }
      if (serial % of === part) out.push(room.checkpoint());
    }
    return out;
  }

  /**
   * Makes the checkpointed rooms again, not ticking. Each starts when someone joins it (a page
   * resuming with its token); those nobody comes back to within `graceS` are dropped.
   */
  restore(checkpoints: readonly RoomCheckpoint[], graceS: number): void {
    for (const c of checkpoints) {
      const made = this.#create(
        c.room,
        {
          width: c.state.config.width,
          height: c.state.config.height,
          walls: c.state.config.walls,
          tickRate: c.tickRate,
          stones: c.state.config.stones,
          // Not in the checkpoint: the server's default. The saved bots leave on the first tick.
          bots: this.defaults.bots,
        },
        c,
      );
      if (made.ok) this.#waiting.add(made.room);
    }
    if (this.#waiting.size === 0) return;
    this.options.log.info({ rooms: this.#waiting.size, graceS }, 'rooms restored; waiting for their players');
    // A cluster restores rooms one at a time: one timer, the latest grace, for all that wait.
    if (this.#dropTimer) clearTimeout(this.#dropTimer);
    this.#dropTimer = setTimeout(() => {
      this.#dropTimer = null;
      for (const room of this.#waiting) {
        room.endLives();
        this.#delete(room);
      }
      this.#waiting.clear();
    }, graceS * 1000);
    this.#dropTimer.unref();
  }

  #create(id: string, settings: RoomSettings, restore?: RoomCheckpoint): JoinResult {
    const { config } = this.options;
    // Frozen per room: the rules config is the room's Board (Board.of caches by this object).
    const rules: RulesConfig =
      restore?.state.config ??
      Object.freeze({
        width: settings.width,
        height: settings.height,
        walls: settings.walls,
        maxPlayers: config.maxPlayersPerRoom,
        stones: settings.stones,
        foodBase: FOOD_BASE,
        foodPerSnake: FOOD_PER_SNAKE,
      });
    let room: Room;
    const replays = this.options.replays;
    const recorder = replays ? new Recorder({ room: id, tickRate: settings.tickRate, store: replays, now: this.options.now }) : null;
    try {
      room = new Room({
        id,
        rules,
        tickRate: settings.tickRate,
        seed: this.options.seed ?? randomInt(2 ** 32 - 1),
        maxBufferedBytes: config.sendBufferMaxBytes,
        maxSkippedTicks: Math.ceil(config.slowReaderTimeoutS * settings.tickRate),
        step: this.options.step?.(id),
        log: this.options.log,
        onFailed: (failed) => this.#delete(failed),
        resumeGraceS: config.resumeGraceS,
        botsMinSnakes: settings.bots ?? config.botsMinSnakes,
        idleSeatS: config.idleSeatS,
        onIdle: (idle) => this.#delete(idle),
        stats: this.stats,
        top: this.options.store?.topScores(id),
        onTopChanged: (r, table) => this.options.store?.setTopScores(r.id, table),
        onLifeEnded: (r, name, score) => this.options.store?.recordScore({ room: r.id, name, score, at: (this.options.now ?? Date.now)() }),
        clock: this.options.clock,
        restore,
        // A checkpoint saved at a clean stop lost nothing; a periodic one lost what came after it.
        lostMs: restore && !restore.final ? Math.round(config.checkpointEveryS * 1000) : undefined,
        onStep: recorder
          ? (r, prev, inputs, next, events) => {
              for (const life of recorder.step(prev, inputs, next, events))
                r.tell(life.player, { type: 'replay', tick: next.tick, id: life.id });
            }
          : undefined,
      });
    } catch (err) {
      // Only a server default the configuration check let through can get here (a chosen size
      // computes stones that fit): refuse this connection, keep the server up.
      this.options.log.error({ room: id, settings, err }, 'could not create a room');
      const why = err instanceof Error ? err.message : String(err);
      return { ok: false, code: 'room-error', reason: `room "${id}" could not be created: ${why}` };
    }
    this.#rooms.set(id, room);
    if (recorder) this.#recorders.set(room, recorder);
    this.options.log.info({ room: id, settings }, 'room created');
    return { ok: true, room };
  }

  #delete(room: Room, keepCheckpoint = false): void {
    if (this.#rooms.get(room.id) !== room) return;
    room.stop();
    this.#rooms.delete(room.id);
    this.#waiting.delete(room);
    this.#recorders.get(room)?.end();
    if (!keepCheckpoint) this.options.store?.deleteCheckpoint(room.id);
    this.options.log.info({ room: room.id }, 'room deleted');
    this.options.onDeleted?.(room.id);
  }
}
