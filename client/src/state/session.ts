// The client's view of one room: the shared WorldMirror (rebuilt from snapshot + deltas), who
// "me" is, and the clocks that say which tick to show. Ticks are not shown on arrival: they wait
// in a queue until the render clock (tick-clock.ts), running a jitter buffer behind the server's
// estimated clock, reaches them, so a late tick within the buffer causes no visible stop. Your
// own snake is drawn ahead, at the predicted present, with your unacknowledged turns replayed on
// top (predict.ts). It turns server messages into state through one handler per message type;
// it draws nothing and sends nothing (it hands main.ts the messages to send), so it can be tested
// without a DOM or a socket. A welcome from a server speaking another protocol version is
// refused here, before anything of it is trusted.
// Tutorial: docs/tutorial/04-drawing.md

import {
  type DeathCause,
  type Dir,
  type DirName,
  DIR_NAMES,
  type ErrorMessage,
  type MirrorSnake,
  PROTOCOL_VERSION,
  type PingMessage,
  type PlayerView,
  type RoomSettings,
  type ServerMessage,
  TickGapError,
  type TickMessage,
  type TurnMessage,
  type WelcomeMessage,
  WorldMirror,
} from '@snakepit/shared';
import { type Point, snakeEnds, tickAlpha } from './interpolate.ts';
import { HeadEasing, TurnLog, predict } from './predict.ts';
import { PresentClock, RenderClock, TickClock } from './tick-clock.ts';

export type SessionChange =
  | { readonly kind: 'welcome' }
  | { readonly kind: 'world' } // a snapshot or a tick changed the world shown
  /** `lostMs`: on the first resume after a server crash, the play that may have been lost. */
  | { readonly kind: 'joined'; readonly lostMs?: number }
  | { readonly kind: 'died'; readonly cause: DeathCause; readonly by: string | null; readonly score: number; readonly tick: number }
  | { readonly kind: 'error'; readonly error: ErrorMessage }
  /** The life that ended at `tick` was recorded: watch it at /?replay=<id>. */
  | { readonly kind: 'replay'; readonly tick: number; readonly id: string }
  | { readonly kind: 'resync' } // the view fell out of step: ask the server for a snapshot
  | { readonly kind: 'outdated'; readonly server: number }; // the server speaks another protocol version

type MessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** One handler per server message type: a message type without one does not compile. */
type MessageHandlers = {
  readonly [T in ServerMessage['type']]: (msg: MessageOf<T>, nowMs: number) => SessionChange[];
};

export interface SessionOptions {
  /** Show ticks through the jitter buffer (false: on arrival, paced by arrival time: ?buffer=0). */
  readonly buffered: boolean;
  /** Draw your own snake at the predicted present (false: like the others: ?predict=0). */
  readonly predict: boolean;
}

/** Your snake as drawn this frame. */
export interface OwnDrawing {
  readonly id: number;
  /** The snake drawn (predicted, or the mirror's), in the mirror's shape, and how far its ends slid. */
  readonly snake: MirrorSnake;
  readonly alpha: number;
  /** The way the head faces. */
  readonly facing: Dir;
  /** Where the head is drawn, in cell units (centre of cell (x, y) at x + 0.5, y + 0.5). */
  readonly head: Point;
  /** Drawn from a prediction: the renderer must take its body from here, not from the mirror. */
  readonly predicted: boolean;
}

export interface MeView {
  readonly id: number;
  readonly alive: boolean;
  readonly length: number;
  readonly score: number;
  readonly best: number;
  readonly head: readonly [number, number] | null;
  readonly dir: DirName | null;
  /** The head as drawn this frame, in cells, fractional while it slides. */
  readonly drawnHead: readonly [number, number] | null;
  /** The way the drawn head faces. */
  readonly facing: DirName | null;
  /** The last of your turns the tick shown includes. */
  readonly lastAck: number;
  /** Turns sent and not acknowledged yet. */
  readonly pending: number;
}

/** RTT samples are blended in at this weight: a new one moves the estimate a quarter of the way. */
const RTT_WEIGHT = 0.25;
/** Pings remembered while their pong is awaited. */
const PINGS_KEPT = 8;
/** Ticks kept waiting to be shown, at most: far more than any buffer (tick-clock.ts) holds. */
const MAX_QUEUED_TICKS = 50;
/** A frame moving the shown tick less than this share of its time's worth is a stall. */
const STALL_SHARE = 0.1;

export class Session {
  readonly mirror = new WorldMirror();
  welcome: WelcomeMessage | null = null;
  myId: number | null = null;
  /** performance.now() when the last tick or snapshot was applied (arrival pacing). */
  lastTickAt = 0;
  /** Set by a welcome of another protocol version: nothing more from that server is read. */
  outdated = false;
  /** The server's tick clock as estimated here, the tick shown, and the predicted present. */
  clock = new TickClock(100);
  render = new RenderClock(this.clock);
  readonly present = new PresentClock();
  /** Round trip to the server in ms, from ping and pong; null before the first pong. */
  rtt: number | null = null;
  /** How far between the previous tick and the one shown, 0..1, this frame. */
  alpha = 1;
  /** Your snake as drawn in the last frame; null when you have none. */
  own: OwnDrawing | null = null;
  /** Frames in which a snake that moved on its last tick did not move on screen. */
  stallFrames = 0;
  readonly turns = new TurnLog();
  readonly #easing = new HeadEasing();
  /** Ticks that arrived and are not shown yet, oldest first (buffered only). */
  #queue: TickMessage[] = [];
  /** A resync was asked for and its snapshot has not come yet: ask only once. */
  #awaitingSnapshot = false;
  #lastFrameAt = Number.NaN;
  /** The shown tick plus alpha in the previous frame, for counting stalls. */
  #shown = Number.NaN;
  readonly #pings = new Map<number, number>();
  #pingId = 0;
  #stones: ReadonlySet<number> = new Set();
  #stonesOf: readonly number[] | null = null;

  constructor(readonly options: SessionOptions = { buffered: true, predict: true }) {}

  readonly #handlers = {
    welcome: (msg) => {
      if (msg.protocol !== PROTOCOL_VERSION) {
        this.outdated = true;
        return [{ kind: 'outdated', server: msg.protocol }];
      }
      this.welcome = msg;
      this.clock = new TickClock(1000 / msg.tickRate);
      this.render = new RenderClock(this.clock);
      this.present.reset();
      return [{ kind: 'welcome' }];
    },
    snapshot: (msg, nowMs) => {
      // Shown at once: everything queued before it is old news.
      this.mirror.applySnapshot(msg);
      this.#queue = this.#queue.filter((t) => t.tick > msg.tick);
      this.clock.arrive(msg.tick, nowMs);
      this.lastTickAt = nowMs;
      this.#awaitingSnapshot = false;
      this.#easing.reset();
      return [{ kind: 'world' }];
    },
    tick: (msg, nowMs) => {
      this.clock.arrive(msg.tick, nowMs);
      if (!this.options.buffered) return this.#show(msg, nowMs);
      const expected = (this.#queue.at(-1)?.tick ?? this.mirror.tick) + 1;
      if (!this.mirror.ready || msg.tick !== expected) return this.#gap();
      this.#queue.push(msg);
      // No frames are drawn while the page is hidden: show the oldest rather than hoard them.
      return this.#queue.length > MAX_QUEUED_TICKS ? this.#show(this.#queue.shift()!, nowMs) : [];
    },
    joined: (msg) => {
      this.myId = msg.id;
      // After a resume, the server has seen turns up to our ack: number on from there.
      this.turns.continueAbove(this.mirror.players.get(msg.id)?.ack ?? 0);
      this.#easing.reset();
      return [msg.lostMs === undefined ? { kind: 'joined' } : { kind: 'joined', lostMs: msg.lostMs }];
    },
    error: (msg) => [{ kind: 'error', error: msg }],
    replay: (msg) => [{ kind: 'replay', tick: msg.tick, id: msg.id }],
    pong: (msg, nowMs) => {
      const sent = this.#pings.get(msg.id);
      if (sent === undefined) return [];
      this.#pings.delete(msg.id);
      const sample = nowMs - sent;
      this.rtt = this.rtt === null ? sample : this.rtt + RTT_WEIGHT * (sample - this.rtt);
      return [];
    },
  } satisfies MessageHandlers;

  get intervalMs(): number {
    return this.clock.intervalMs;
  }

  /** The room's settings as the welcome told them, for the HUD; null before the welcome. */
  get settings(): RoomSettings | null {
    const w = this.welcome;
    return w && { ...w.board, tickRate: w.tickRate, stones: w.stones };
  }

  /** The interpolation delay now, in ms: the jitter buffer (0 when ticks show on arrival). */
  get bufferMs(): number {
    return this.options.buffered ? this.clock.bufferTicks() * this.clock.intervalMs : 0;
  }

  /** A new connection: everything from the old one is stale. */
  reset(): void {
    this.welcome = null;
    this.myId = null;
    this.mirror.ready = false;
    this.outdated = false;
    this.#awaitingSnapshot = false;
    this.#queue = [];
    this.clock.reset();
    this.render.reset();
    this.present.reset();
    this.turns.clear();
    this.#easing.reset();
    this.rtt = null;
    this.#pings.clear();
    this.own = null;
    this.alpha = 1;
    this.#shown = Number.NaN;
  }

  /**
   * Applies one message. Throws on a message it cannot apply: a type it does not know (the JSON
   * codec does not check types) or a tick that does not fit the world (other than a gap).
   */
  handle(msg: ServerMessage, nowMs: number): SessionChange[] {
    if (this.outdated) return [];
    // Typed as any string: the JSON codec does not check what it parsed.
    const type: string = msg.type;
    if (!Object.hasOwn(this.#handlers, type)) throw new Error(`unknown message type ${JSON.stringify(type)}`);
    // The table is keyed by msg.type, so the handler found takes exactly this message.
    const handler = this.#handlers[msg.type] as (msg: ServerMessage, nowMs: number) => SessionChange[];
    return handler(msg, nowMs);
  }

  /**
   * One display frame at `nowMs`: moves the clocks on, shows the queued ticks the render clock
   * has reached (returning what they changed), and works out how to draw your snake.
   */
  frame(nowMs: number): SessionChange[] {
    const dtMs = Number.isNaN(this.#lastFrameAt) ? 0 : Math.min(250, Math.max(0, nowMs - this.#lastFrameAt));
    this.#lastFrameAt = nowMs;
    const changes: SessionChange[] = [];
    if (this.options.buffered) {
      const drawn = this.render.advance(nowMs, dtMs);
      if (!Number.isNaN(drawn)) {
        while (this.#queue.length > 0 && this.#queue[0]!.tick <= Math.ceil(drawn)) {
          const shown = this.#show(this.#queue.shift()!, nowMs);
          if (changes.length > 0 && shown[0]?.kind === 'world') shown.shift();
          changes.push(...shown);
        }
      }
      this.alpha = Number.isNaN(drawn) ? 1 : Math.min(1, Math.max(0, drawn - (this.mirror.tick - 1)));
    } else {
      this.alpha = tickAlpha(nowMs, this.lastTickAt, this.intervalMs);
    }
    this.#countStall(dtMs);
    this.#drawOwn(nowMs, dtMs);
    return changes;
  }

  /** Records a turn pressed now and returns the message to send; null without a live snake. */
  turn(dir: DirName): TurnMessage | null {
    if (!this.me?.alive) return null;
    const tick = this.present.tick;
    // Taken by the step after the tick the player sees the head sliding into.
    const step = Number.isNaN(tick) ? this.mirror.tick + 1 : Math.max(this.mirror.tick, Math.floor(tick)) + 1;
    return { type: 'turn', dir, seq: this.turns.add(DIR_NAMES.indexOf(dir) as Dir, step) };
  }

  /** A ping to send now; its pong gives the round trip. */
  ping(nowMs: number): PingMessage {
    this.#pingId = (this.#pingId + 1) % 2 ** 31;
    this.#pings.set(this.#pingId, nowMs);
    if (this.#pings.size > PINGS_KEPT) this.#pings.delete(this.#pings.keys().next().value!);
    return { type: 'ping', id: this.#pingId };
  }

  /** Applies one tick to the mirror now and says what it changed. */
  #show(msg: TickMessage, nowMs: number): SessionChange[] {
    try {
      this.mirror.applyTick(msg);
    } catch (err) {
      if (!(err instanceof TickGapError)) throw err;
      return this.#gap();
    }
    this.lastTickAt = nowMs;
    const changes: SessionChange[] = [{ kind: 'world' }];
    const mine = msg.deaths?.find((d) => d.id === this.myId);
    if (mine) {
      const by = mine.by === null ? null : (this.mirror.players.get(mine.by)?.name ?? null);
      changes.push({ kind: 'died', cause: mine.cause, by, score: this.mirror.players.get(mine.id)?.score ?? 0, tick: msg.tick });
    }
    return changes;
  }

  /** A tick that does not follow: ask for a snapshot, once, and show nothing more until it comes. */
  #gap(): SessionChange[] {
    if (this.#awaitingSnapshot) return [];
    this.#awaitingSnapshot = true;
    return [{ kind: 'resync' }];
  }

  #countStall(dtMs: number): void {
    const shown = this.mirror.tick - 1 + this.alpha;
    const before = this.#shown;
    this.#shown = shown;
    if (!this.mirror.ready || Number.isNaN(before) || dtMs <= 0 || shown < before) return;
    if (shown - before >= (STALL_SHARE * dtMs) / this.intervalMs) return;
    for (const s of this.mirror.snakes.values()) {
      if (s.moved) {
        this.stallFrames++;
        return;
      }
    }
  }

  #drawOwn(nowMs: number, dtMs: number): void {
    const interval = this.intervalMs;
    const rtt = this.rtt ?? interval; // one tick until the first pong
    const target = this.clock.latest < 0 ? Number.NaN : this.clock.serverTick(nowMs) + rtt / interval;
    const present = this.present.advance(target, dtMs, interval);
    const snake = this.myId === null || !this.mirror.ready ? undefined : this.mirror.snakes.get(this.myId);
    if (snake === undefined) {
      this.own = null;
      this.#easing.reset();
      return;
    }
    const board = this.mirror.board;
    this.turns.settle(this.mirror.players.get(this.myId!)?.ack ?? 0, this.mirror.tick);
    if (this.#stonesOf !== this.mirror.stones) {
      this.#stonesOf = this.mirror.stones;
      this.#stones = new Set(this.mirror.stones);
    }
    const p =
      this.options.predict && !Number.isNaN(present)
        ? predict(board, this.#stones, snake, this.mirror.tick, this.turns.pending, present)
        : null;
    if (p) {
      const raw = snakeEnds(p.snake, board, p.alpha).head;
      const head = this.#easing.update(raw, dtMs, interval, board);
      this.own = { id: this.myId!, snake: p.snake, alpha: p.alpha, facing: p.facing, head, predicted: true };
      return;
    }
    const body = snake.body;
    const facing = body.length > 1 ? board.dirBetween(body[1]!, body[0]!) : null;
    this.own = {
      id: this.myId!,
      snake,
      alpha: this.alpha,
      facing: facing ?? 0,
      head: snakeEnds(snake, board, this.alpha).head,
      predicted: false,
    };
  }

  get me(): MeView | null {
    if (this.myId === null) return null;
    const p = this.mirror.players.get(this.myId);
    const snake = this.mirror.snakes.get(this.myId);
    const board = this.mirror.board;
    const body = snake?.body ?? [];
    const dir = body.length > 1 ? board.dirBetween(body[1]!, body[0]!) : null;
    const own = snake ? this.own : null;
    return {
      id: this.myId,
      alive: snake !== undefined,
      length: body.length,
      score: p?.score ?? 0,
      best: p?.best ?? 0,
      head: body.length ? [board.x(body[0]!), board.y(body[0]!)] : null,
      dir: dir === null ? null : DIR_NAMES[dir],
      drawnHead: own ? [own.head.x - 0.5, own.head.y - 0.5] : null,
      facing: own ? DIR_NAMES[own.facing] : null,
      lastAck: p?.ack ?? 0,
      pending: this.turns.pending.length,
    };
  }

  /** Players, best first: the scoreboard's order. */
  ranking(): PlayerView[] {
    return [...this.mirror.players.values()].sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
