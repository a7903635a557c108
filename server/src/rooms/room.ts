// A room: one game, the sockets watching it, and the loop that advances it.
// The room collects what its members send between ticks, and on each tick runs the pure
// step() once, encodes the result once, and hands the same bytes to every member. A member
// whose socket is not keeping up (its send buffer over a cap) is skipped rather than allowed
// to slow the room, gets a full snapshot once it catches up, and is dropped if it never does.
// tick() is a plain synchronous method: tests call it by hand, no clock involved.
// The loop starts with start() (the registry calls it on first join), never in the constructor.
// Tutorial: docs/tutorial/03-server.md

import {
  type ClientMessage,
  type Codec,
  type Dir,
  type ErrorCode,
  type GameState,
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
import { wsFrame } from '../frame.js';
import { ServerStats } from '../stats.js';
import { Ticker, type TickTiming } from './loop.js';

/** One connection as the room sees it: a socket, or a fake one in tests. */
export interface Peer {
  /** Sends one complete WebSocket frame (frame.ts); the same Buffer goes to every member. */
  send(frame: Buffer): void;
  /** Bytes accepted by send() but not yet written to the network. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

/** Just the logging calls a room makes (pino's, as Fastify provides). */
export interface RoomLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RoomOptions {
  readonly id: string;
  readonly rules: RulesConfig;
  /** Ticks per second. */
  readonly tickRate: number;
  readonly seed: number;
  readonly log: RoomLog;
  /** A member whose send buffer holds more than this many bytes is skipped for the tick. */
  readonly maxBufferedBytes?: number;
  /** A member skipped this many ticks in a row is dropped. */
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
}

/** 64 KiB: about two seconds of ticks for a big room; a healthy socket holds far less. */
export const MAX_BUFFERED_BYTES = 64 * 1024;

/** A message as a ready WebSocket frame, and the size of its payload (for the counters). */
interface Encoded {
  readonly frame: Buffer;
  readonly payloadBytes: number;
}

export function encode(codec: Codec, msg: ServerMessage): Encoded {
  const out = codec.encodeServer(msg);
  const payload = typeof out === 'string' ? Buffer.from(out) : out;
  return { frame: wsFrame(payload, typeof out !== 'string'), payloadBytes: payload.length };
}

function cached(cache: Map<Codec, Encoded>, codec: Codec, msg: ServerMessage): Encoded {
  let out = cache.get(codec);
  if (!out) {
    out = encode(codec, msg);
    cache.set(codec, out);
  }
  return out;
}

/** Close codes the room uses (RFC 6455 section 7.4.1). */
export const CLOSE = {
  GOING_AWAY: 1001,
  POLICY: 1008,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
} as const;

interface Member {
  readonly peer: Peer;
  /** The wire format this member asked for; each format is encoded at most once per tick. */
  readonly codec: Codec;
  playerId: number | null;
  /** Turns pressed since the last tick (at most MAX_QUEUED_TURNS; the rules cap them again). */
  turns: Dir[];
  /** Set when a tick was skipped for this member: its next message must be a full snapshot. */
  needsSnapshot: boolean;
  skippedTicks: number;
}

export interface RoomInfo {
  readonly id: string;
  readonly players: number;
  readonly spectators: number;
  readonly tick: number;
}

export class Room {
  readonly id: string;
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
  readonly #maxBuffered: number;
  readonly #maxSkipped: number;
  #nextPlayerId = 1;
  #joins: { id: number; name: string }[] = [];
  #leaves: number[] = [];
  #respawns = new Set<number>();
  #failed = false;

  constructor(private readonly options: RoomOptions) {
    this.id = options.id;
    this.#state = createGame(options.rules, options.seed);
    this.#top = new TopScores(options.top);
    this.#topSent = this.#top.table;
    // About once a second, and only the lines that changed: the leader's score changes on every
    // bite, and re-sending the whole table each time was a third of a busy room's bytes.
    this.#topEvery = Math.max(1, Math.round(options.tickRate));
    this.stats = options.stats ?? new ServerStats();
    this.#maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    this.#maxSkipped = options.maxSkippedTicks ?? Math.ceil(options.tickRate * 10);
    this.#ticker = new Ticker(1000 / options.tickRate, (timing) => this.tick(timing), (err) => this.#fail(err));
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
    return { id: this.id, players, spectators: this.#members.size - players, tick: this.#state.tick };
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
      width: rules.width,
      height: rules.height,
      tickRate,
      maxPlayers: rules.maxPlayers,
    });
    this.#sendTo(peer, snapshotMessage(this.#state, this.#top.table));
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

  /** A checked message from a member. Refusals go back to the sender only. */
  receive(peer: Peer, msg: ClientMessage): void {
    const member = this.#members.get(peer);
    if (!member) return;
    switch (msg.type) {
      case 'join':
        return this.#join(member, msg.name);
      case 'turn':
        if (member.playerId === null) return this.sendError(peer, 'not-playing', 'join the game before steering');
        if (member.turns.length < MAX_QUEUED_TURNS) member.turns.push(dirFromName(msg.dir));
        return;
      case 'respawn':
        if (member.playerId === null) return this.sendError(peer, 'not-playing', 'join the game before playing again');
        this.#respawns.add(member.playerId);
        return;
      case 'resync':
        // Served with the next tick: the snapshot is encoded once for everyone who needs it.
        member.needsSnapshot = true;
        return;
    }
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
    this.#broadcast(tickMessage(prev, state, events, topLines));

    // After the tick's own message, so the refusal follows the tick that made it.
    for (const e of events) {
      if (e.type !== 'spawn-failed') continue;
      const m = this.#byPlayer.get(e.id);
      if (m) this.sendError(m.peer, 'no-space', 'the board is too crowded to place your snake: play again in a moment');
    }
    this.stats.tick(performance.now() - started, timing?.latenessMs ?? 0, timing?.missed ?? 0);
  }

  #broadcast(msg: ServerMessage): void {
    // Encoded lazily, once per wire format in use: every member of a format gets the same bytes.
    const deltas = new Map<Codec, Encoded>();
    const snapshots = new Map<Codec, Encoded>();
    let snapshot: SnapshotMessage | null = null;
    for (const m of this.#members.values()) {
      if (m.peer.bufferedAmount > this.#maxBuffered) {
        // A slow reader: skip it this tick (it will need a snapshot to catch up), and drop it
        // if it stays behind. Either way the room's tick is not held up.
        this.stats.sendsSkipped++;
        m.needsSnapshot = true;
        if (++m.skippedTicks === this.#maxSkipped + 1) {
          this.stats.slowDropped++;
          m.peer.close(CLOSE.POLICY, 'connection too slow to keep up');
        }
        continue;
      }
      m.skippedTicks = 0;
      let out: Encoded;
      if (m.needsSnapshot) {
        snapshot ??= snapshotMessage(this.#state, this.#top.table);
        out = cached(snapshots, m.codec, snapshot);
        m.needsSnapshot = false;
      } else {
        out = cached(deltas, m.codec, msg);
      }
      m.peer.send(out.frame);
      this.stats.messagesOut++;
      this.stats.bytesOut += out.payloadBytes;
    }
  }

  #sendTo(peer: Peer, msg: ServerMessage): void {
    const member = this.#members.get(peer);
    const { frame, payloadBytes } = encode(member ? member.codec : jsonCodec, msg);
    peer.send(frame);
    this.stats.messagesOut++;
    this.stats.bytesOut += payloadBytes;
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
