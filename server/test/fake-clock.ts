// A clock for tests: time moves only when the test says so, and timers fire in due order as it
// does. It is the Clock the Ticker and the Heartbeat take (rooms/loop.ts), so their schedules
// can be checked exactly, with no real sleeps, however busy the machine is.

import type { Clock } from '../src/rooms/loop.ts';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();
  /** Every delay asked for, in order (to check what a caller scheduled). */
  readonly delays: number[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  schedule(fn: () => void, ms: number): number {
    const seq = ++this.#seq;
    this.delays.push(ms);
    this.#timers.set(seq, { at: this.#now + Math.max(0, ms), seq, fn });
    return seq;
  }

  cancel(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers scheduled and not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Work that takes time inside a callback (a slow tick, a stalled process). */
  burn(ms: number): void {
    this.#now += ms;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order, at its own time. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      let next: Timer | null = null;
      for (const t of this.#timers.values()) {
        if (t.at <= until && (next === null || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (next === null) break;
      this.#timers.delete(next.seq);
      // A callback that burned time may have pushed the clock past this timer's moment.
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = Math.max(this.#now, until);
  }
}
