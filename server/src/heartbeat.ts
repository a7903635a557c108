// Finding dead connections. A peer that vanished without a goodbye (a laptop lid closed, a
// phone out of coverage) leaves a socket that looks open for a long time. Every interval the
// server pings each socket; one that has not answered the previous ping by then is terminated.
// So a silent peer is gone within two intervals. The timer only runs while there are sockets:
// an idle server schedules nothing.
// Tutorial: docs/tutorial/03-server.md

import type { WebSocket } from 'ws';

export class Heartbeat {
  readonly #answered = new Map<WebSocket, boolean>();
  #timer: ReturnType<typeof setInterval> | null = null;
  /** Sockets terminated for not answering, since the server began. */
  terminated = 0;

  constructor(readonly intervalMs: number) {}

  watch(socket: WebSocket): void {
    this.#answered.set(socket, true);
    socket.on('pong', () => this.#answered.set(socket, true));
    socket.once('close', () => {
      this.#answered.delete(socket);
      if (this.#answered.size === 0) this.stop();
    });
    this.#timer ??= setInterval(() => this.#beat(), this.intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  #beat(): void {
    for (const [socket, answered] of this.#answered) {
      if (!answered) {
        this.terminated++;
        socket.terminate();
        continue;
      }
      this.#answered.set(socket, false);
      if (socket.readyState === socket.OPEN) socket.ping();
    }
  }
}
