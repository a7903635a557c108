// The client's view of one room: the shared WorldMirror (rebuilt from snapshot + deltas), who
// "me" is, and when the last tick arrived (for interpolation). It turns server messages into
// state; it draws nothing and sends nothing, so it can be tested without a DOM or a socket.
// Tutorial: docs/tutorial/04-client.md

import {
  type DeathCause,
  type DirName,
  DIR_NAMES,
  type ErrorMessage,
  type PlayerView,
  type ServerMessage,
  TickGapError,
  type WelcomeMessage,
  WorldMirror,
  dirBetween,
} from '@snakepit/shared';
import { tickAlpha } from './interpolate.ts';

export type SessionChange =
  | { readonly kind: 'welcome' }
  | { readonly kind: 'world' } // a snapshot or a tick changed the world
  | { readonly kind: 'joined' }
  | { readonly kind: 'died'; readonly cause: DeathCause; readonly by: string | null; readonly score: number }
  | { readonly kind: 'error'; readonly error: ErrorMessage }
  | { readonly kind: 'resync' }; // the view fell out of step: ask the server for a snapshot

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
  /** A resync was asked for and its snapshot has not come yet: ask only once. */
  #awaitingSnapshot = false;

  get intervalMs(): number {
    return this.welcome ? 1000 / this.welcome.tickRate : 100;
  }

  alpha(nowMs: number): number {
    return tickAlpha(nowMs, this.lastTickAt, this.intervalMs);
  }

  /** A new connection: everything from the old one is stale. */
  reset(): void {
    this.welcome = null;
    this.myId = null;
    this.mirror.ready = false;
    this.#awaitingSnapshot = false;
  }

  handle(msg: ServerMessage, nowMs: number): SessionChange[] {
    switch (msg.type) {
      case 'welcome':
        this.welcome = msg;
        return [{ kind: 'welcome' }];
      case 'snapshot':
        this.mirror.applySnapshot(msg);
        this.lastTickAt = nowMs;
        this.#awaitingSnapshot = false;
        return [{ kind: 'world' }];
      case 'tick': {
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
      }
      case 'joined':
        this.myId = msg.id;
        return [{ kind: 'joined' }];
      case 'error':
        return [{ kind: 'error', error: msg }];
    }
  }

  get me(): MeView | null {
    if (this.myId === null) return null;
    const p = this.mirror.players.get(this.myId);
    const snake = this.mirror.snakes.get(this.myId);
    const width = this.welcome?.width ?? 1;
    const body = snake?.body ?? [];
    return {
      id: this.myId,
      alive: snake !== undefined,
      length: body.length,
      score: p?.score ?? 0,
      best: p?.best ?? 0,
      head: body.length ? [body[0]! % width, Math.floor(body[0]! / width)] : null,
      dir: body.length > 1 ? DIR_NAMES[dirBetween(body[1]!, body[0]!, width)] : null,
    };
  }

  /** Players, best first: the scoreboard's order. */
  ranking(): PlayerView[] {
    return [...this.mirror.players.values()].sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
