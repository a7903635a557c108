// A room: one game and the lifecycle around it. It collects what its members send between
// ticks, and on each tick runs the pure step() once, turns the result into one message, and
// hands that to its Broadcaster (broadcaster.ts), which delivers it through the transport
// (transport.ts: framing, the encode-once cache, slow readers). The room never builds a frame
// or touches a socket.
// A player whose socket drops without `leave` is held (away) for the resume grace, counted in
// the room's own ticks: the resume token in each welcome takes the player back.
// A room can be checkpointed (checkpoint(): plain data) and made again from one (`restore`):
// every player comes back held, waiting for a resume. Tokens are kept as SHA-256 hashes only, so
// a copy of the database (a backup) cannot take over anyone's snake.
// Bots (bots/crew.ts) keep a room with a person in it lively: the room seats them as members
// with no socket, they steer through the same turn handler and queue as a person, and they
// leave as people come; they are not counted as people (an empty room is one with no person).
// A dead person who does not play again within the idle-seat time watches instead, freeing
// the seat (counted in the room's ticks).
// tick() is a plain synchronous method: tests call it by hand, no clock involved.
// The loop starts with start() (the registry calls it on first join), never in the constructor.
// Tutorial: docs/tutorial/02-rules.md

import { createHash, randomBytes } from 'node:crypto';
import {
  type ClientMessage,
  type Codec,
  DIR_NAMES,
  type Dir,
  type ErrorCode,
  type GameEvent,
  type GameState,
  type RoomSettings,
  type RulesConfig,
  type ServerMessage,
  type SnapshotMessage,
  type TickInputs,
  type TopEntry,
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
import { BOT_RESPAWN_S, BOT_THINK_BUDGET_MS, BotBrains, botName, botsWanted } from '../bots/crew.js';
import { Broadcaster } from '../broadcaster.js';
import { ServerStats } from '../stats.js';
import type { CheckpointPlayer, RoomCheckpoint } from '../store/checkpoint.js';
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
  /**
   * Seconds a player whose socket dropped (without `leave`) is held for a resume, counted in
   * ticks of this room's rate; 0 (the default) makes a drop a leave.
   */
  readonly resumeGraceS?: number;
  /** Called after a tick that finds nobody connected and nobody held (the last held player just left). */
  readonly onIdle?: (room: Room) => void;
  /** Called when a player's life ends (died, or left the game) with a score above 0. */
  readonly onLifeEnded?: (room: Room, name: string, score: number) => void;
  /** Make the room from a checkpoint instead of a new game: its players are held for a resume. */
  readonly restore?: RoomCheckpoint;
  /** While a person plays, bots join until the room has this many snakes; 0 (the default): none. */
  readonly botsMinSnakes?: number;
  /** Seconds a dead person may wait before playing again, then they watch; 0 (the default): forever. */
  readonly idleSeatS?: number;
  /**
   * With `restore` from a periodic checkpoint (not one saved at a clean stop): up to how many ms
   * of play the crash took. Each restored player's resume says so, once (`joined.lostMs`).
   */
  readonly lostMs?: number;
  /**
   * Called after each tick's message went out, with what step() was given and what it made (the
   * replay recorder, replay/recorder.ts). It must not change the room's game.
   */
  readonly onStep?: (room: Room, prev: GameState, inputs: TickInputs, next: GameState, events: readonly GameEvent[]) => void;
}

/**
 * Presses from one player that reach the rules in one tick. The rules keep at most
 * MAX_QUEUED_TURNS waiting (and apply one a tick); they drop the rest and acknowledge them, so
 * this is only a safety cap: past it a press replaces the last one kept, which the rules drop
 * either way, and its newer seq acknowledges every press it stood in for.
 */
export const MAX_TURNS_PER_TICK = 8;

/** A connection in the room: what delivery needs (Recipient), and who it plays as. */
interface Member extends Recipient {
  playerId: number | null;
  /** Turns pressed since the last tick, with their seq (at most MAX_TURNS_PER_TICK). */
  turns: { dir: Dir; seq: number }[];
  /** The highest turn seq received from this member's player; each turn must be above it. */
  lastSeq: number;
  /** The resume token this member's welcome carried: `?resume=` with it takes its player back. */
  readonly token: string;
  /** The token's hash: the key of #tokens and what a checkpoint keeps. */
  readonly key: string;
  /** The tick since which this member's player has had no snake (dead), or null. */
  deadSince: number | null;
  /** A restored player whose room lost play to a crash: the resume says how much, once. */
  lostMs?: number;
}

/** A player whose socket dropped: the member it played through, kept until `untilTick`. */
interface Held {
  readonly member: Member;
  /** The room's tick at which the player leaves if not back by then. */
  readonly untilTick: number;
}

/** What each client message does. A message type without a row here does not compile. */
type Handlers = { [K in ClientMessage['type']]: (member: Member, msg: Extract<ClientMessage, { type: K }>) => void };

/** A room as /api/rooms lists it. */
export interface RoomInfo {
  readonly id: string;
  /** Snakes' seats taken: people (connected or held) and bots. */
  readonly players: number;
  readonly humans: number;
  readonly bots: number;
  /** The most players the room seats; a bot gives its seat to a person, so `humans` decides "full". */
  readonly capacity: number;
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
  /** Connected players' members, by player id. */
  readonly #byPlayer = new Map<number, Member>();
  /** Players whose socket dropped, by id: on the board, away, waiting for a resume. */
  readonly #held = new Map<number, Held>();
  /** Every live resume token, by its hash: a connected member's, or a held player's (its member's). */
  readonly #tokens = new Map<string, Member>();
  /** The grace in ticks; 0: a drop is a leave. */
  readonly #graceTicks: number;
  /** Bots seated, by player id: members with no socket, kept out of #members and #byPlayer. */
  readonly #bots = new Map<number, Member>();
  readonly #brains: BotBrains;
  /** The loop's clock; the bots' thinking budget is counted on it too. */
  readonly #clock: Clock;
  #botSerial = 0;
  readonly #botRespawnTicks: number;
  /** Ticks a dead person keeps the seat; 0: forever. */
  readonly #idleSeatTicks: number;
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
  #joins: { id: number; name: string; bot?: true }[] = [];
  #leaves: number[] = [];
  #respawns = new Set<number>();
  /** Away and back since the last tick; a drop and a resume before the tick cancel out. */
  readonly #away = new Set<number>();
  readonly #back = new Set<number>();
  #failed = false;
  /** Made once: the catch-up snapshot of the current state, for delivery to call when needed. */
  readonly #snapshot = (): SnapshotMessage => snapshotMessage(this.#state, this.#top.table);

  readonly #handlers = {
    join: (member, msg) => this.#join(member, msg.name),
    turn: (member, msg) => {
      if (member.playerId === null) return this.sendError(member.peer, 'not-playing', 'join the game before steering');
      if (msg.seq <= member.lastSeq)
        return this.sendError(member.peer, 'bad-message', `seq must increase (got ${msg.seq} after ${member.lastSeq})`);
      member.lastSeq = msg.seq;
      const turn = { dir: dirFromName(msg.dir), seq: msg.seq };
      if (member.turns.length < MAX_TURNS_PER_TICK) member.turns.push(turn);
      else member.turns[MAX_TURNS_PER_TICK - 1] = turn;
    },
    leave: (member) => {
      if (member.playerId === null) return this.sendError(member.peer, 'not-playing', 'you are not playing');
      this.#release(member);
    },
    // To the sender alone, in its own format: the page times the round trip with it.
    ping: (member, msg) => this.#sendTo(member.peer, { type: 'pong', tick: this.#state.tick, id: msg.id }),
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
    this.#state = options.restore ? options.restore.state : createGame(rules, options.seed);
    this.settings = Object.freeze({
      width: rules.width,
      height: rules.height,
      walls: rules.walls,
      tickRate,
      stones: rules.stones,
      bots: options.botsMinSnakes ?? 0,
    });
    this.#top = new TopScores(options.top);
    this.#topSent = this.#top.table;
    // About once a second, and only the lines that changed: the leader's score changes on every
    // bite, and the whole table on every change would be a large share of a busy room's bytes.
    this.#topEvery = Math.max(1, Math.round(tickRate));
    const grace = options.resumeGraceS ?? 0;
    this.#graceTicks = grace > 0 ? Math.max(1, Math.ceil(grace * tickRate)) : 0;
    const idle = options.idleSeatS ?? 0;
    this.#idleSeatTicks = idle > 0 ? Math.max(1, Math.ceil(idle * tickRate)) : 0;
    this.#botRespawnTicks = Math.ceil(BOT_RESPAWN_S * tickRate);
    this.#brains = new BotBrains(rules);
    this.#clock = options.clock ?? realClock;
    this.stats = options.stats ?? new ServerStats();
    this.#out = new Broadcaster(
      this.stats,
      new SlowReaderPolicy(options.maxBufferedBytes ?? MAX_BUFFERED_BYTES, options.maxSkippedTicks ?? Math.ceil(tickRate * 10)),
    );
    this.#ticker = new Ticker(
      1000 / tickRate,
      (timing) => this.tick(timing),
      (err) => this.#fail(err),
      this.#clock,
    );
    if (options.restore) this.#restore(options.restore);
  }

  /**
   * Takes a checkpoint's players back as held: away (still) until their pages resume with their
   * tokens, or gone when the grace, counted from this room's first tick, runs out. A player
   * with no token in the checkpoint (it was leaving) leaves on the first tick.
   */
  #restore(c: RoomCheckpoint): void {
    this.#nextPlayerId = c.nextPlayerId;
    const byId = new Map(c.players.map((p) => [p.id, p]));
    this.#state = { ...c.state, players: c.state.players.map((p) => (byId.has(p.id) ? { ...p, away: true } : p)) };
    for (const p of this.#state.players) {
      const saved = byId.get(p.id);
      if (!saved || this.#graceTicks === 0) {
        this.#leaves.push(p.id);
        continue;
      }
      const member: Member = {
        peer: GONE,
        codec: jsonCodec,
        playerId: p.id,
        turns: [],
        lastSeq: saved.lastSeq,
        token: '',
        key: saved.tokenHash,
        needsSnapshot: false,
        skippedTicks: 0,
        deadSince: null,
        lostMs: this.options.lostMs,
      };
      this.#held.set(p.id, { member, untilTick: this.#state.tick + this.#graceTicks });
      this.#tokens.set(member.key, member);
    }
  }

  /** The room as plain data for the store: state, next id, and each player's token hash and seq. */
  checkpoint(): RoomCheckpoint {
    const inGame = new Set(this.#state.players.map((p) => p.id));
    const players: CheckpointPlayer[] = [];
    const keep = (id: number, m: Member) => {
      if (inGame.has(id)) players.push({ id, tokenHash: m.key, lastSeq: m.lastSeq });
    };
    for (const [id, m] of this.#byPlayer) keep(id, m);
    for (const [id, h] of this.#held) keep(id, h.member);
    return { room: this.id, tickRate: this.options.tickRate, state: this.#state, nextPlayerId: this.#nextPlayerId, players };
  }

  /** Ends every life on the board now (the room is dropped without ticking again). Bots' lives are not scores. */
  endLives(): void {
    for (const p of this.#state.players) if (p.score > 0 && !p.bot) this.options.onLifeEnded?.(this, p.name, p.score);
  }

  get state(): GameState {
    return this.#state;
  }

  /** Connections in the room (players and spectators). */
  get size(): number {
    return this.#members.size;
  }

  /** Players held for a resume (their sockets dropped). */
  get holding(): number {
    return this.#held.size;
  }

  /** Nobody connected and nobody held: the registry deletes such a room. */
  get idle(): boolean {
    return this.#members.size === 0 && this.#held.size === 0;
  }

  get running(): boolean {
    return this.#ticker.running;
  }

  get topScores(): TopScores {
    return this.#top;
  }

  /** Bots seated now (joining, playing or dead). */
  get bots(): number {
    return this.#bots.size;
  }

  /** People playing: connected, or held for a resume (their snakes are on the board, their places kept). */
  get humans(): number {
    return this.#byPlayer.size + this.#held.size;
  }

  info(): RoomInfo {
    const connected = this.#byPlayer.size;
    return {
      id: this.id,
      players: this.humans + this.#bots.size,
      humans: this.humans,
      bots: this.#bots.size,
      capacity: this.options.rules.maxPlayers,
      spectators: this.#members.size - connected,
      tick: this.#state.tick,
      settings: this.settings,
    };
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

  /**
   * A new connection: it watches as a spectator until it sends `join`, or, with a `resume`
   * token that names a player of this room (held, or still connected), it takes that player
   * back at once: welcome, snapshot, `joined`, and the player is back at the next tick. A token
   * that names nothing here gets welcome, snapshot and a `bad-token` error: a spectator.
   */
  add(peer: Peer, codec: Codec = jsonCodec, resume?: string): void {
    const token = newToken();
    const member: Member = {
      peer,
      codec,
      playerId: null,
      turns: [],
      lastSeq: 0,
      token,
      key: hashToken(token),
      needsSnapshot: false,
      skippedTicks: 0,
      deadSince: null,
    };
    this.#members.set(peer, member);
    this.#tokens.set(member.key, member);
    const resumed = resume === undefined ? null : this.#resume(member, resume);
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
      token: member.token,
    });
    this.#sendTo(peer, this.#snapshot());
    if (resumed !== null) {
      const lostMs = member.lostMs;
      member.lostMs = undefined;
      this.#sendTo(
        peer,
        lostMs === undefined
          ? { type: 'joined', tick: this.#state.tick, id: resumed }
          : { type: 'joined', tick: this.#state.tick, id: resumed, lostMs },
      );
    } else if (resume !== undefined) {
      this.sendError(peer, 'bad-token', 'your game could not be resumed (expired or unknown): join again');
    }
  }

  /**
   * A connection went away. A spectator is simply gone; a player whose snake is in the game is
   * held for the resume grace (away from the next tick), or, without a grace, leaves on the
   * next tick as if it had sent `leave`.
   */
  remove(peer: Peer): void {
    const member = this.#members.get(peer);
    if (!member) return;
    this.#members.delete(peer);
    const id = member.playerId;
    const inGame = id !== null && !this.#joins.some((j) => j.id === id);
    if (id === null || !inGame || this.#graceTicks === 0) {
      this.#tokens.delete(member.key);
      if (id !== null) this.#release(member);
      return;
    }
    this.#byPlayer.delete(id);
    this.#respawns.delete(id);
    member.turns = [];
    this.#held.set(id, { member, untilTick: this.#state.tick + this.#graceTicks });
    if (!this.#back.delete(id)) this.#away.add(id);
    this.options.log.info({ room: this.id, player: id, graceTicks: this.#graceTicks }, 'player away');
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

  /** The member's player leaves the game (at the next tick); the member stays, watching. */
  #release(member: Member): void {
    const id = member.playerId;
    if (id === null) return;
    member.playerId = null;
    member.turns = [];
    this.#byPlayer.delete(id);
    this.#respawns.delete(id);
    const pending = this.#joins.findIndex((j) => j.id === id);
    if (pending >= 0) this.#joins.splice(pending, 1);
    else this.#leaves.push(id);
    this.options.log.info({ room: this.id, player: id }, 'player left');
  }

  /**
   * Gives `member` the player that `token` names, if any: a held player (back at the next
   * tick), or a connected one whose page reconnected before this side saw the old socket drop
   * (that socket is closed). The token is used up either way. Returns the player id, or null.
   */
  #resume(member: Member, token: string): number | null {
    const key = hashToken(token);
    const old = this.#tokens.get(key);
    if (old === undefined || old === member || old.playerId === null) return null;
    const id = old.playerId;
    if (this.#held.get(id)?.member === old) {
      this.#held.delete(id);
      if (!this.#away.delete(id)) this.#back.add(id);
    } else if (this.#members.get(old.peer) === old) {
      old.playerId = null;
      member.turns = old.turns;
      old.turns = [];
      old.peer.close(CLOSE.POLICY, 'your game was resumed on another connection');
    } else {
      return null;
    }
    this.#tokens.delete(key);
    member.playerId = id;
    member.lastSeq = old.lastSeq;
    member.lostMs = old.lostMs;
    this.#byPlayer.set(id, member);
    this.options.log.info({ room: this.id, player: id }, 'player resumed');
    return id;
  }

  #join(member: Member, rawName: string): void {
    if (member.playerId !== null) return this.sendError(member.peer, 'already-playing', 'you are already playing');
    const name = normalizeName(rawName);
    if (name === null) return this.sendError(member.peer, 'bad-name', `a name must be 1 to ${NAME_MAX} characters`);
    // A bot gives its seat to a person at once (it leaves at the next tick).
    if (this.#seatsTaken() >= this.options.rules.maxPlayers) this.#dismissBot();
    if (this.#seatsTaken() >= this.options.rules.maxPlayers) {
      return this.sendError(
        member.peer,
        'room-full',
        `room "${this.id}" is full (${this.options.rules.maxPlayers} players): you can keep watching or pick another room`,
      );
    }
    const id = this.#nextPlayerId++;
    member.playerId = id;
    member.lastSeq = 0;
    member.deadSince = null;
    this.#byPlayer.set(id, member);
    this.#joins.push({ id, name });
    this.#sendTo(member.peer, { type: 'joined', tick: this.#state.tick, id });
    this.options.log.info({ room: this.id, player: id }, 'player joined');
  }

  /** Who will be playing after the next tick: leavers free their places at once. */
  #seatsTaken(): number {
    return this.#state.players.length - this.#leaves.length + this.#joins.length;
  }

  // ---- bots ------------------------------------------------------------------------------

  /**
   * Seats or dismisses bots so the room has what botsWanted() says for the people in it now;
   * the newest bots leave first. Runs at the start of each tick, and a person's join that finds
   * the room full dismisses one at once.
   */
  #balanceBots(): void {
    const want = botsWanted({
      present: this.#byPlayer.size,
      humans: this.humans,
      maxPlayers: this.options.rules.maxPlayers,
      minSnakes: this.options.botsMinSnakes ?? 0,
    });
    while (this.#bots.size > want) this.#dismissBot();
    while (this.#bots.size < want && this.#seatsTaken() < this.options.rules.maxPlayers - 1) this.#seatBot();
  }

  /** A bot joins: a member with no socket, seated like a person, marked as a bot in the rules. */
  #seatBot(): void {
    const id = this.#nextPlayerId++;
    const member: Member = {
      peer: GONE,
      codec: jsonCodec,
      playerId: id,
      turns: [],
      lastSeq: 0,
      token: '',
      key: '',
      needsSnapshot: false,
      skippedTicks: 0,
      deadSince: null,
    };
    this.#bots.set(id, member);
    this.#joins.push({ id, name: botName(this.#state, this.#botSerial++), bot: true });
    this.options.log.info({ room: this.id, player: id }, 'bot joined');
  }

  /** The newest bot leaves (at the next tick), as a person leaving does. */
  #dismissBot(): void {
    let newest: Member | undefined;
    for (const m of this.#bots.values()) newest = m;
    if (newest?.playerId == null) return;
    this.#bots.delete(newest.playerId);
    this.#release(newest);
  }

  /**
   * After the tick's message is out: each bot decides on what everyone was just sent, and its
   * turn goes through the turn handler a person's message reaches (seq, queue and all); a bot
   * dead long enough asks to play again the same way.
   */
  #botsThink(): void {
    if (this.#bots.size === 0) return;
    const ids: number[] = [];
    for (const [id, m] of this.#bots) {
      if (m.deadSince !== null && this.#state.tick - m.deadSince >= this.#botRespawnTicks) {
        m.deadSince = null;
        this.#handlers.respawn(m);
      }
      ids.push(id);
    }
    const { turns } = this.#brains.decide(this.#state, ids, BOT_THINK_BUDGET_MS, () => this.#clock.now());
    for (const [id, dir] of turns) {
      const m = this.#bots.get(id)!;
      this.#handlers.turn(m, { type: 'turn', dir: DIR_NAMES[dir], seq: m.lastSeq + 1 });
    }
  }

  /**
   * Tracks how long each player has had no snake: a bot's death starts its respawn wait; a
   * person dead for the idle-seat time leaves the game and watches (told with a notice).
   */
  #trackDead(): void {
    const tick = this.#state.tick;
    const dead = new Set<number>();
    for (const p of this.#state.players) if (!p.snake) dead.add(p.id);
    for (const m of this.#bots.values()) {
      if (m.playerId !== null && dead.has(m.playerId)) m.deadSince ??= tick;
    }
    for (const m of [...this.#byPlayer.values()]) {
      if (m.playerId === null || !dead.has(m.playerId) || this.#joins.some((j) => j.id === m.playerId)) {
        m.deadSince = null;
        continue;
      }
      m.deadSince ??= tick;
      if (this.#idleSeatTicks > 0 && tick - m.deadSince >= this.#idleSeatTicks) {
        this.#release(m);
        this.sendError(m.peer, 'seat-freed', 'you did not play again for a while, so your seat went to someone else: join to play');
      }
    }
  }

  // ---- the tick --------------------------------------------------------------------------

  /** Advances the game one tick and sends the result to every member. */
  tick(timing?: TickTiming): void {
    const started = performance.now();
    const prev = this.#state;
    this.#expireHeld(prev.tick);
    this.#balanceBots();
    const turns: { id: number; dir: Dir; seq: number }[] = [];
    for (const m of this.#members.values()) takeTurns(m, turns);
    for (const m of this.#bots.values()) takeTurns(m, turns);
    const inputs: TickInputs = {
      joins: this.#joins,
      leaves: this.#leaves,
      turns,
      away: listOf(this.#away),
      back: listOf(this.#back),
      respawns: listOf(this.#respawns),
    };
    const { state, events } = (this.options.step ?? step)(prev, inputs);
    this.#joins = [];
    this.#leaves = [];
    // Most ticks these are empty, and clearing an empty Set is not free at 2,000 room ticks a second.
    if (this.#away.size) this.#away.clear();
    if (this.#back.size) this.#back.clear();
    if (this.#respawns.size) this.#respawns.clear();
    this.#state = state;

    let topChanged = false;
    // Bots' scores stay out of the top scores and the leaderboard: those are people's.
    for (const e of events) {
      if (e.type === 'ate') {
        const p = state.players.find((q) => q.id === e.id);
        if (p && !p.bot && this.#top.record(p.name, p.score)) topChanged = true;
      } else if (e.type === 'died' && e.score > 0) {
        const p = state.players.find((q) => q.id === e.id);
        if (p && !p.bot) this.options.onLifeEnded?.(this, p.name, e.score);
      } else if (e.type === 'left') {
        const p = prev.players.find((q) => q.id === e.id);
        if (p?.snake && p.score > 0 && !p.bot) this.options.onLifeEnded?.(this, p.name, p.score);
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
    this.options.onStep?.(this, prev, inputs, state, events);
    this.#trackDead();
    this.#botsThink();
    this.stats.tick(performance.now() - started, timing?.latenessMs ?? 0, timing?.missed ?? 0);
    if (this.idle) this.options.onIdle?.(this);
  }

  /** Held players whose grace is over at tick `now` leave, as leavers do; their tokens die. */
  #expireHeld(now: number): void {
    for (const [id, held] of this.#held) {
      if (now < held.untilTick) continue;
      this.#held.delete(id);
      this.#tokens.delete(held.member.key);
      this.#away.delete(id);
      this.#back.delete(id);
      this.#leaves.push(id);
      this.options.log.info({ room: this.id, player: id }, 'player left (not back within the grace)');
    }
  }

  /** Sends `msg` to player `id`'s connection alone, if it is connected. */
  tell(id: number, msg: ServerMessage): void {
    const m = this.#byPlayer.get(id);
    if (m) this.#sendTo(m.peer, msg);
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

/** Moves a member's presses since the last tick into the tick's turns. */
function takeTurns(m: Member, turns: { id: number; dir: Dir; seq: number }[]): void {
  if (m.playerId === null || m.turns.length === 0) return;
  for (const { dir, seq } of m.turns) turns.push({ id: m.playerId, dir, seq });
  m.turns = [];
}

/** An unguessable resume token: 16 random bytes, base64url (22 characters). */
function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** What the room keys tokens by and a checkpoint keeps: SHA-256, base64url. */
/** A set's members as the rules take them; most ticks have none, and then nothing is allocated. */
const NONE: readonly number[] = [];
function listOf(set: ReadonlySet<number>): readonly number[] {
  return set.size === 0 ? NONE : [...set];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The peer of a restored player nobody has taken back yet: nothing to send to or close. */
const GONE: Peer = { send: () => {}, bufferedAmount: 0, close: () => {} };
