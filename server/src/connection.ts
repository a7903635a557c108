// One client connection as the server sees it: the door every message from that socket comes
// in by. It counts the message, enforces the socket's message rate (a token bucket: a sustained
// rate plus an equal burst), parses and validates it with the shared parseClientMessage, hands
// good messages to the room, and answers bad ones with an error, closing with 1008 for garbage,
// for floods and for repeated invalid messages. Nothing a client sends can throw out of here.
// Tutorial: docs/tutorial/07-hardening.md

import { parseClientMessage } from '@snakepit/shared/validate';
import type { Room } from './rooms/room.js';
import type { ServerStats } from './stats.js';
import { CLOSE, type Peer } from './transport.js';

/** Invalid (but well-formed) messages a socket may send before it is closed. */
export const MAX_INVALID_MESSAGES = 5;

export interface ConnectionLimits {
  /** Sustained messages per second; the bucket holds as many again for bursts. */
  readonly maxMessagesPerSecond: number;
}

export class ClientConnection {
  #tokens: number;
  #refilledAt: number;
  #invalid = 0;
  #closed = false;

  constructor(
    readonly peer: Peer,
    readonly room: Room,
    private readonly stats: ServerStats,
    private readonly limits: ConnectionLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = limits.maxMessagesPerSecond;
    this.#refilledAt = now();
  }

  receive(bytes: Uint8Array): void {
    if (this.#closed) return;
    this.stats.messagesIn++;
    this.stats.bytesIn += bytes.length;
    if (!this.#take()) return this.#close(CLOSE.POLICY, 'too many messages');

    const r = parseClientMessage(bytes);
    if (r.ok) {
      this.room.receive(this.peer, r.msg);
      return;
    }
    this.room.sendError(this.peer, 'bad-message', r.reason);
    if (r.garbage) this.#close(CLOSE.POLICY, 'unreadable message');
    else if (++this.#invalid >= MAX_INVALID_MESSAGES) this.#close(CLOSE.POLICY, 'too many invalid messages');
  }

  /** Takes one token from the bucket; false when the socket is over its rate. */
  #take(): boolean {
    const rate = this.limits.maxMessagesPerSecond;
    const now = this.now();
    this.#tokens = Math.min(2 * rate, this.#tokens + ((now - this.#refilledAt) / 1000) * rate);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #close(code: number, reason: string): void {
    this.#closed = true;
    this.peer.close(code, reason);
  }
}
