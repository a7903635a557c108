// A room: one game and the lifecycle around it. It collects what its members send between
// ticks, and on each tick runs the pure step() once, turns the result into one message, and
// hands that to its Broadcaster (broadcaster.ts), which delivers it through the transport
// (transport.ts: framing, the encode-once cache, slow readers). The room never builds a frame
// or touches a socket.
// tick() is a plain synchronous method: tests call it by hand, no clock involved.
// The loop starts with start() (the registry calls it on first join), never in the constructor.
// Tutorial: docs/tutorial/03-server.md

import {
  type ClientMessage,
  type Codec,
  type Dir,
  type ErrorCode,
  type GameState,
  type RoomSettings,
  type RulesConfig,
  type ServerMessage,
  type SnapshotMessage,
  type TopEntry,
  MAX_QUEUED_TURNS,
  TopScores,
  changedLines,
  NAME_MAX,
  PROTOCOL_VERSION,
  createGame,
  dirFromName,
  jsonCodec,
  normalizeName,
  snapshotMessage,
  step,
  tickMessage,
} from '@snakepit/shared';
import { Broadcaster } from '../broadcaster.js';
import { ServerStats } from '../stats.js';
import { CLOSE, MAX_BUFFERED_BYTES, type Peer, type Recipient, SlowReaderPolicy } from '../transport.js';
import { type Clock, Ticker, type TickTiming, realClock } from './loop.js';

/** Just the logging calls a room makes (pino's, as Fastify provides). */
export interface RoomLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RoomOptions {
  readonly id: string;
  readonly rules: RulesConfig;
  /** Ticks per second: the loop's rate, the top-score cadence and the slow-reader count follow it. */
  readonly tickRate: number;
  readonly seed: number;
  readonly log: RoomLog;
  /** A member whose send buffer holds more than this many bytes is skipped for the tick. */
  readonly maxBufferedBytes?: number;
  /** A member skipped this many ticks in a row is dropped (default: ten seconds' worth). */
  readonly maxSkippedTicks?: number;
  /** Called after the room's tick threw and the room shut itself down. */
  readonly onFailed?: (room: Room, err: unknown) => void;
  /** The rules to run; the real step() unless a test needs rules that fail. */
  readonly step?: typeof step;
  /** Where the room counts what it does (shared by all rooms of a server). */
  readonly stats?: ServerStats;
  /** The room's top scores so far (from the store), and where changes go. */
  readonly top?: readonly TopEntry[];
  readonly onTopChanged?: (room: Room, table: readonly TopEntry[]) => void;
  /** Where the loop's time and timer come from (a fake clock in tests). */
  readonly clock?: Clock;
}

/** A connection in the room: what delivery needs (Recipient), and who it plays as. */
interface Member extends Recipient {
  playerId: number | null;
  /** Turns pressed since the last tick (at most MAX_QUEUED_TURNS; the rules cap them again). */
  turns: Dir[];
}

/** What each client message does. A message type without a row here does not compile. */
type Handlers = { [K in ClientMessage['type']]: (member: Member, msg: Extract<ClientMessage, { type: K }>) => void };

/** A room as /api/rooms lists it. */
export interface RoomInfo {
  readonly id: string;
  readonly players: number;
  readonly spectators: number;
  readonly tick: number;
  readonly settings: RoomSettings;
}

export class Room {
  readonly id: string;
  /** What the room runs with, fixed at creation (the rules' board and stones, the tick rate). */
  readonly settings: RoomSettings;
  #state: GameState;
  readonly #members = new Map<Peer, Member>();
  readonly #byPlayer = new Map<number, Member>();
  readonly #top: TopScores;
  /** The table as members last got it; changes go out at most every #topEvery ticks. */
  #topSent: readonly TopEntry[];
  #topDirty = false;
  #topSentAt = 0;
  readonly #topEvery: number;
  readonly stats: ServerStats;
  readonly #ticker: Ticker;
  readonly #out: Broadcaster;
  #nextPlayerId = 1;
  #joins: { id: number; name: string }[] = [];
  #leaves: number[] = [];
  #respawns = new Set<number>();
  #failed = false;
  /** Made once: the catch-up snapshot of the current state, for delivery to call when needed. */
  readonly #snapshot = (): SnapshotMessage => snapshotMessage(this.#state, this.#top.table);

  readonly #handlers = {
    join: (member, msg) => this.#join(member, msg.name),
    turn: (member, msg) => {
      if (member.playerId === null) return this.sendError(member.peer, 'not-playing', 'join the game before steering');
      if (member.turns.length < MAX_QUEUED_TURNS) member.turns.push(dirFromName(msg.dir));
    },
    respawn: (member) => {
      if (member.playerId === null) return this.sendError(member.peer, 'not-playing', 'join the game before playing again');
      this.#respawns.add(member.playerId);
    },
    // Served with the next tick: the snapshot is encoded once for everyone who needs it.
    resync: (member) => {
      member.needsSnapshot = true;
    },
  } satisfies Handlers;

  /** Throws a RangeError if the rules do not make a game (e.g. more stones than fit the board). */
  constructor(private readonly options: RoomOptions) {
    const { rules, tickRate } = options;
    this.id = options.id;
    this.#state = createGame(rules, options.seed);
    this.settings = Object.freeze({ width: rules.width, height: rules.height, walls: rules.walls, tickRate, stones: rules.stones });
    this.#top = new TopScores(options.top);
    this.#topSent = this.#top.table;
    // About once a second, and only the lines that changed: the leader's score changes on every
    // bite, and the whole table on every change would be a large share of a busy room's bytes.
    this.#topEvery = Math.max(1, Math.round(tickRate));
    this.stats = options.stats ?? new ServerStats();
    this.#out = new Broadcaster(
      this.stats,
      new SlowReaderPolicy(options.maxBufferedBytes ?? MAX_BUFFERED_BYTES, options.maxSkippedTicks ?? Math.ceil(tickRate * 10)),
    );
    this.#ticker = new Ticker(
      1000 / tickRate,
      (timing) => this.tick(timing),
      (err) => this.#fail(err),
      options.clock ?? realClock,
    );
  }

  get state(): GameState {
    return this.#state;
  }

  get size(): number {
    return this.#members.size;
  }

  get running(): boolean {
    return this.#ticker.running;
  }

  get topScores(): TopScores {
    return this.#top;
  }

  info(): RoomInfo {
    const players = this.#byPlayer.size;
    return { id: this.id, players, spectators: this.#members.size - players, tick: this.#state.tick, settings: this.settings };
  }

  /** Starts the loop (at `phase` of each interval, 0..1). Safe to call again: one timer only. */
  start(phase?: number): void {
    this.#ticker.start(phase);
  }

  /** Stops the loop: the one stop path, clearing the room's only timer. */
  stop(): void {
    if (!this.#ticker.running) return;
    this.#ticker.stop();
    this.options.log.info({ room: this.id, tick: this.#state.tick }, 'loop stopped');
  }

  // ---- members ---------------------------------------------------------------------------

  /** A new connection: it watches as a spectator until it sends `join`. */
  add(peer: Peer, codec: Codec = jsonCodec): void {
    this.#members.set(peer, { peer, codec, playerId: null, turns: [], needsSnapshot: false, skippedTicks: 0 });
    const { rules, tickRate } = this.options;
    this.#sendTo(peer, {
      type: 'welcome',
      tick: this.#state.tick,
      protocol: PROTOCOL_VERSION,
      room: this.id,
      board: { width: rules.width, height: rules.height, walls: rules.walls },
      stones: this.#state.stones.length,
      tickRate,
      maxPlayers: rules.maxPlayers,
    });
    this.#sendTo(peer, this.#snapshot());
  }

  /** A connection went away; its snake (if any) leaves on the next tick. */
  remove(peer: Peer): void {
    const member = this.#members.get(peer);
    if (!member) return;
    this.#members.delete(peer);
    const id = member.playerId;
    if (id === null) return;
    this.#byPlayer.delete(id);
    this.#respawns.delete(id);
    const pending = this.#joins.findIndex((j) => j.id === id);
    if (pending >= 0) this.#joins.splice(pending, 1);
    else this.#leaves.push(id);
    this.options.log.info({ room: this.id, player: id }, 'player left');
  }

  /** A checked message from a member, dispatched by type. Refusals go back to the sender only. */
  receive(peer: Peer, msg: ClientMessage): void {
    const member = this.#members.get(peer);
    if (!member) return;
    // The table is checked complete above; indexing it by a union loses the pairing of each
    // type with its handler, which this one cast restores.
    (this.#handlers[msg.type] as (member: Member, msg: ClientMessage) => void)(member, msg);
  }

  sendError(peer: Peer, code: ErrorCode, message: string): void {
    this.#sendTo(peer, { type: 'error', tick: this.#state.tick, code, message });
  }

  #join(member: Member, rawName: string): void {
    if (member.playerId !== null) return this.sendError(member.peer, 'already-playing', 'you are already playing');
    const name = normalizeName(rawName);
    if (name === null) return this.sendError(member.peer, 'bad-name', `a name must be 1 to ${NAME_MAX} characters`);
    // Count who will be playing after the next tick: leavers free their places at once.
    if (this.#state.players.length - this.#leaves.length + this.#joins.length >= this.options.rules.maxPlayers) {
      return this.sendError(
        member.peer,
        'room-full',
        `room "${this.id}" is full (${this.options.rules.maxPlayers} players): you can keep watching or pick another room`,
      );
    }
    const id = this.#nextPlayerId++;
    member.playerId = id;
    this.#byPlayer.set(id, member);
    this.#joins.push({ id, name });
    this.#sendTo(member.peer, { type: 'joined', tick: this.#state.tick, id });
    this.options.log.info({ room: this.id, player: id }, 'player joined');
  }

  // ---- the tick --------------------------------------------------------------------------

  /** Advances the game one tick and sends the result to every member. */
  tick(timing?: TickTiming): void {
    const started = performance.now();
    const prev = this.#state;
    const turns: { id: number; dir: Dir }[] = [];
    for (const m of this.#members.values()) {
      if (m.playerId === null || m.turns.length === 0) continue;
      for (const dir of m.turns) turns.push({ id: m.playerId, dir });
      m.turns = [];
    }
    const { state, events } = (this.options.step ?? step)(prev, {
      joins: this.#joins,
      leaves: this.#leaves,
      turns,
      respawns: [...this.#respawns],
    });
    this.#joins = [];
    this.#leaves = [];
    this.#respawns.clear();
    this.#state = state;

    let topChanged = false;
    for (const e of events) {
      if (e.type === 'ate') {
        const p = state.players.find((q) => q.id === e.id);
        if (p && this.#top.record(p.name, p.score)) topChanged = true;
      }
    }

    if (topChanged) {
      this.#topDirty = true;
      this.options.onTopChanged?.(this, this.#top.table);
    }
    let topLines: TopEntry[] | null = null;
    if (this.#topDirty && state.tick - this.#topSentAt >= this.#topEvery) {
      topLines = changedLines(this.#topSent, this.#top.table);
      this.#topSent = this.#top.table;
      this.#topDirty = false;
      this.#topSentAt = state.tick;
    }
    this.#out.deliver(this.#members.values(), tickMessage(prev, state, events, topLines), this.#snapshot);

    // After the tick's own message, so the refusal follows the tick that made it.
    for (const e of events) {
      if (e.type !== 'spawn-failed') continue;
      const m = this.#byPlayer.get(e.id);
      if (m) this.sendError(m.peer, 'no-space', 'the board is too crowded to place your snake: play again in a moment');
    }
    this.stats.tick(performance.now() - started, timing?.latenessMs ?? 0, timing?.missed ?? 0);
  }

  #sendTo(peer: Peer, msg: ServerMessage): void {
    this.#out.send(peer, this.#members.get(peer)?.codec ?? jsonCodec, msg);
  }

  /** Closes every member's connection (shutdown). Their close events then call remove(). */
  closeMembers(code: number, reason: string): void {
    for (const m of [...this.#members.values()]) m.peer.close(code, reason);
  }

  // ---- failure ---------------------------------------------------------------------------

  /** The tick threw: this room is over. Its members are told and closed; nothing else stops. */
  #fail(err: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.options.log.error({ room: this.id, tick: this.#state.tick, err }, 'room tick failed; closing the room');
    for (const m of [...this.#members.values()]) {
      this.sendError(m.peer, 'room-error', 'this room hit an error and was closed: reconnect to start a fresh game');
      m.peer.close(CLOSE.INTERNAL_ERROR, 'room error');
    }
    this.options.onFailed?.(this, err);
  }
}
