// Finding dead connections. A peer that vanished without a goodbye (a laptop lid closed, a
// phone out of coverage) leaves a socket that looks open for a long time. Once per interval the
// server pings each socket; one that has not answered the previous ping by then is terminated,
// so a silent peer is gone within two intervals. The timer only runs while there are sockets:
// an idle server schedules nothing.
// The sockets are split into slices pinged one after another across the interval, not all at
// once: 5,000 pings in one go held the event loop for tens of milliseconds, and every room
// ticking at that moment was late (bench: lateness p99 at 3,000 bots).
// Tutorial: docs/tutorial/03-server.md

import type { WebSocket } from 'ws';

/** Shortest gap, in ms, between two slices. */
const SLICE_MS = 100;
const MAX_SLICES = 50;

export class Heartbeat {
  /** For each slice, its sockets and whether each answered its last ping. */
  readonly #slices: Map<WebSocket, boolean>[];
  #count = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #next = 0;
  #assign = 0;
  /** Sockets terminated for not answering, since the server began. */
  terminated = 0;

  constructor(readonly intervalMs: number) {
    const slices = Math.max(1, Math.min(MAX_SLICES, Math.floor(intervalMs / SLICE_MS)));
    this.#slices = Array.from({ length: slices }, () => new Map());
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
    this.#timer ??= setInterval(() => this.#beat(), this.intervalMs / this.#slices.length);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
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
