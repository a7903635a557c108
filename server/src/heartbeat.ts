// Finding dead connections. A peer that vanished without a goodbye (a laptop lid closed, a
// phone out of coverage) leaves a socket that looks open for a long time. Once per interval the
// server pings each socket; one that has not answered the previous ping by then is terminated,
// so a silent peer is gone within two intervals. The timer only runs while there are sockets:
// an idle server schedules nothing.
// The sockets are split into slices pinged one after another across the interval, not all at
// once: thousands of pings in one go hold the event loop long enough to make every room ticking
// at that moment late (tick lateness p99 in `npm run bench -- --scenario capacity`).
// Time comes from a Clock (the real one by default), so tests run it on a fake clock.
// Tutorial: docs/tutorial/07-hardening.md

import type { WebSocket } from 'ws';
import { type Clock, realClock } from './rooms/loop.js';

/** Shortest gap, in ms, between two slices. */
const SLICE_MS = 100;
const MAX_SLICES = 50;

export class Heartbeat {
  /** For each slice, its sockets and whether each answered its last ping. */
  readonly #slices: Map<WebSocket, boolean>[];
  #count = 0;
  /** The one pending slice timer, or null while there are no sockets. */
  #timer: unknown = null;
  readonly #sliceMs: number;
  readonly #beatNow = () => {
    this.#timer = this.clock.schedule(this.#beatNow, this.#sliceMs);
    this.#beat();
  };
  #next = 0;
  #assign = 0;
  /** Sockets terminated for not answering, since the server began. */
  terminated = 0;

  constructor(
    readonly intervalMs: number,
    private readonly clock: Clock = realClock,
  ) {
    const slices = Math.max(1, Math.min(MAX_SLICES, Math.floor(intervalMs / SLICE_MS)));
    this.#slices = Array.from({ length: slices }, () => new Map());
    this.#sliceMs = intervalMs / slices;
  }

  watch(socket: WebSocket): void {
    const slice = this.#slices[this.#assign++ % this.#slices.length]!;
    slice.set(socket, true);
    this.#count++;
    socket.on('pong', () => slice.set(socket, true));
    socket.once('close', () => {
      slice.delete(socket);
      if (--this.#count === 0) this.stop();
    });
    this.#timer ??= this.clock.schedule(this.#beatNow, this.#sliceMs);
  }

  stop(): void {
    if (this.#timer !== null) this.clock.cancel(this.#timer);
    this.#timer = null;
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  /** One slice: each of its sockets answered the last ping, or is terminated. */
  #beat(): void {
    const slice = this.#slices[this.#next]!;
    this.#next = (this.#next + 1) % this.#slices.length;
    for (const [socket, answered] of slice) {
      if (!answered) {
        this.terminated++;
        socket.terminate();
        continue;
      }
      slice.set(socket, false);
      if (socket.readyState === socket.OPEN) socket.ping();
    }
  }
}
