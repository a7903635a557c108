// Every live room, by id. join() gets or creates a room and starts its loop on the first
// member; leave() deletes the room and stops its loop the moment its last member goes: no
// timer, interval or listener is left behind, which the server tests check.
// Rooms share nothing, which is what lets them spread over processes later (see README).
// Tutorial: docs/tutorial/03-server.md

import { randomInt } from 'node:crypto';
import { type Codec, FOOD_BASE, FOOD_PER_SNAKE, type RulesConfig } from '@snakepit/shared';
import type { Config } from '../config.js';
import { ServerStats } from '../stats.js';
import type { TopScoreStore } from '../store.js';
import { type Peer, Room, type RoomInfo, type RoomLog, type RoomOptions } from './room.js';

export interface RegistryOptions {
  readonly config: Config;
  readonly log: RoomLog;
  /** Fixes every room's seed (tests); by default each room gets a random one. */
  readonly seed?: number;
  readonly stats?: ServerStats;
  /** Rules for a room instead of the real step() (tests: a room whose tick fails). */
  readonly step?: (roomId: string) => RoomOptions['step'];
  /** Keeps each room's top scores beyond the room's life. */
  readonly store?: TopScoreStore;
}

/**
 * Rooms tick in PHASE_SLOTS groups spread evenly over the tick interval (5 ms apart at 10 ticks
 * a second), new rooms taking the slots in turn. A group's rooms tick one after another in one
 * wake-up of the event loop, so the last is late by the group's work (at 0.12 ms a tick, 25
 * rooms take 3 ms; at 500 rooms a group's 6 ms runs into the next group's turn). One moment per
 * room instead cost a wake-up per room; one moment for all made the last room wait for all.
 */
const PHASE_SLOTS = 20;

export type JoinResult = { readonly ok: true; readonly room: Room } | { readonly ok: false; readonly reason: string };

export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #rules: RulesConfig;
  readonly stats: ServerStats;
  #closing = false;
  /** Rooms created so far: the n-th takes phase slot n mod PHASE_SLOTS. */
  #created = 0;

  constructor(private readonly options: RegistryOptions) {
    const { config } = options;
    this.stats = options.stats ?? new ServerStats();
    this.#rules = Object.freeze({
      width: config.gridWidth,
      height: config.gridHeight,
      maxPlayers: config.maxPlayersPerRoom,
      stones: config.stones,
      foodBase: FOOD_BASE,
      foodPerSnake: FOOD_PER_SNAKE,
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

  /** Adds `peer` to room `id`, creating the room (and starting its loop) if needed. */
  join(id: string, peer: Peer, codec?: Codec): JoinResult {
    const refusal = this.refusal(id);
    if (refusal) return { ok: false, reason: refusal };
    let room = this.#rooms.get(id);
    if (!room) {
      room = new Room({
        id,
        rules: this.#rules,
        tickRate: this.options.config.tickRate,
        seed: this.options.seed ?? randomInt(2 ** 32 - 1),
        maxBufferedBytes: this.options.config.sendBufferMaxBytes,
        maxSkippedTicks: Math.ceil(this.options.config.slowReaderTimeoutS * this.options.config.tickRate),
        step: this.options.step?.(id),
        log: this.options.log,
        onFailed: (failed) => this.#delete(failed),
        stats: this.stats,
        top: this.options.store?.get(id),
        onTopChanged: (r, table) => this.options.store?.set(r.id, table),
      });
      this.#rooms.set(id, room);
      this.options.log.info({ room: id }, 'room created');
    }
    room.add(peer, codec);
    if (!room.running) room.start((this.#created++ % PHASE_SLOTS) / PHASE_SLOTS);
    return { ok: true, room };
  }

  /** Removes `peer`; an emptied room is stopped and deleted at once. */
  leave(room: Room, peer: Peer): void {
    room.remove(peer);
    if (room.size === 0) this.#delete(room);
  }

  /** Shutdown: refuse new joins, stop every loop, close every member with `code`. */
  closeAll(code: number, reason: string): void {
    this.#closing = true;
    for (const room of [...this.#rooms.values()]) {
      room.stop();
      room.closeMembers(code, reason);
      this.#delete(room);
    }
  }

  #delete(room: Room): void {
    if (this.#rooms.get(room.id) !== room) return;
    room.stop();
    this.#rooms.delete(room.id);
    this.options.log.info({ room: room.id }, 'room deleted');
  }
}
