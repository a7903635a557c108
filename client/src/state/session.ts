// The client's view of one room: the shared WorldMirror (rebuilt from snapshot + deltas), who
// "me" is, and when the last tick arrived (for interpolation). It turns server messages into
// state through one handler per message type; it draws nothing and sends nothing, so it can be
// tested without a DOM or a socket. A welcome from a server speaking another protocol version
// is refused here, before anything of it is trusted.
// Tutorial: docs/tutorial/04-client.md

import {
  type DeathCause,
  type DirName,
  DIR_NAMES,
  type ErrorMessage,
  PROTOCOL_VERSION,
  type PlayerView,
  type RoomSettings,
  type ServerMessage,
  TickGapError,
  type WelcomeMessage,
  WorldMirror,
} from '@snakepit/shared';
import { tickAlpha } from './interpolate.ts';

export type SessionChange =
  | { readonly kind: 'welcome' }
  | { readonly kind: 'world' } // a snapshot or a tick changed the world
  | { readonly kind: 'joined' }
  | { readonly kind: 'died'; readonly cause: DeathCause; readonly by: string | null; readonly score: number }
  | { readonly kind: 'error'; readonly error: ErrorMessage }
  | { readonly kind: 'resync' } // the view fell out of step: ask the server for a snapshot
  | { readonly kind: 'outdated'; readonly server: number }; // the server speaks another protocol version

type MessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** One handler per server message type: a message type without one does not compile. */
type MessageHandlers = {
  readonly [T in ServerMessage['type']]: (msg: MessageOf<T>, nowMs: number) => SessionChange[];
};

export interface MeView {
  readonly id: number;
  readonly alive: boolean;
  readonly length: number;
  readonly score: number;
  readonly best: number;
  readonly head: readonly [number, number] | null;
  readonly dir: DirName | null;
}

export class Session {
  readonly mirror = new WorldMirror();
  welcome: WelcomeMessage | null = null;
  myId: number | null = null;
  /** performance.now() when the last tick or snapshot was applied. */
  lastTickAt = 0;
  /** Set by a welcome of another protocol version: nothing more from that server is read. */
  outdated = false;
  /** A resync was asked for and its snapshot has not come yet: ask only once. */
  #awaitingSnapshot = false;

  readonly #handlers = {
    welcome: (msg) => {
      if (msg.protocol !== PROTOCOL_VERSION) {
        this.outdated = true;
        return [{ kind: 'outdated', server: msg.protocol }];
      }
      this.welcome = msg;
      return [{ kind: 'welcome' }];
    },
    snapshot: (msg, nowMs) => {
      this.mirror.applySnapshot(msg);
      this.lastTickAt = nowMs;
      this.#awaitingSnapshot = false;
      return [{ kind: 'world' }];
    },
    tick: (msg, nowMs) => {
      try {
        this.mirror.applyTick(msg);
      } catch (err) {
        if (!(err instanceof TickGapError)) throw err;
        if (this.#awaitingSnapshot) return [];
        this.#awaitingSnapshot = true;
        return [{ kind: 'resync' }];
      }
      this.lastTickAt = nowMs;
      const changes: SessionChange[] = [{ kind: 'world' }];
      const mine = msg.deaths?.find((d) => d.id === this.myId);
      if (mine) {
        const by = mine.by === null ? null : (this.mirror.players.get(mine.by)?.name ?? null);
        changes.push({ kind: 'died', cause: mine.cause, by, score: this.mirror.players.get(mine.id)?.score ?? 0 });
      }
      return changes;
    },
    joined: (msg) => {
      this.myId = msg.id;
      return [{ kind: 'joined' }];
    },
    error: (msg) => [{ kind: 'error', error: msg }],
  } satisfies MessageHandlers;

  get intervalMs(): number {
    return this.welcome ? 1000 / this.welcome.tickRate : 100;
  }

  /** The room's settings as the welcome told them, for the HUD; null before the welcome. */
  get settings(): RoomSettings | null {
    const w = this.welcome;
    return w && { ...w.board, tickRate: w.tickRate, stones: w.stones };
  }

  alpha(nowMs: number): number {
    return tickAlpha(nowMs, this.lastTickAt, this.intervalMs);
  }

  /** A new connection: everything from the old one is stale. */
  reset(): void {
    this.welcome = null;
    this.myId = null;
    this.mirror.ready = false;
    this.outdated = false;
    this.#awaitingSnapshot = false;
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

  get me(): MeView | null {
    if (this.myId === null) return null;
    const p = this.mirror.players.get(this.myId);
    const snake = this.mirror.snakes.get(this.myId);
    const board = this.mirror.board;
    const body = snake?.body ?? [];
    const dir = body.length > 1 ? board.dirBetween(body[1]!, body[0]!) : null;
    return {
      id: this.myId,
      alive: snake !== undefined,
      length: body.length,
      score: p?.score ?? 0,
      best: p?.best ?? 0,
      head: body.length ? [board.x(body[0]!), board.y(body[0]!)] : null,
      dir: dir === null ? null : DIR_NAMES[dir],
    };
  }

  /** Players, best first: the scoreboard's order. */
  ranking(): PlayerView[] {
    return [...this.mirror.players.values()].sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
