// A fixed-rate ticker: calls `tick` every `intervalMs`, on schedule rather than on average.
// Each deadline is the previous deadline plus the interval, so a late tick does not push every
// later one back (drift correction); when the process falls more than MAX_BEHIND ticks behind
// (a stall, a debugger), it skips ahead and counts the ticks it missed instead of bursting.
// It owns exactly one timer and has one stop path: start() twice makes no second timer, and
// stop() cancels it. A tick that throws stops the ticker and is reported.
// A ticker can be given a phase: where in each interval its ticks fall. Rooms created in a
// burst (a server restart, everyone reconnecting) would otherwise all tick at the same moment,
// one after another, and the last of them late by the sum of the others' work.
// Time comes from a Clock passed in (the real one by default), so tests run it on a fake clock.
// Tutorial: docs/tutorial/02-rules.md

import { performance } from 'node:perf_hooks';

/** How far behind schedule, in ticks, before the ticker gives up catching up. */
const MAX_BEHIND = 3;

/** Where time and timers come from: the real clock in the server, a fake one in tests. */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `fn` once, `ms` from now (setTimeout-like); the handle cancels it. */
  schedule(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  schedule: (fn, ms) => setTimeout(fn, ms),
  cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface TickTiming {
  /** How long after its deadline this tick started, in ms. */
  readonly latenessMs: number;
  /** Ticks skipped because the process fell too far behind, since the last call. */
  readonly missed: number;
}

/**
 * When the first tick is due: a full interval from `now`, or, with a phase, the next moment at
 * least half an interval away whose position within the interval (on the same clock) is `phase`.
 */
export function firstDeadline(now: number, interval: number, phase?: number): number {
  if (phase === undefined) return now + interval;
  let deadline = now + ((((phase * interval - now) % interval) + interval) % interval);
  if (deadline - now < interval / 2) deadline += interval;
  return deadline;
}

export class Ticker {
  /** The one pending timer, or null when stopped. */
  #timer: unknown = null;
  #running = false;
  #deadline = 0;
  /** Bound once: scheduling a tick allocates no closure. */
  readonly #run = () => this.#fire();

  constructor(
    readonly intervalMs: number,
    private readonly tick: (timing: TickTiming) => void,
    private readonly onError: (err: unknown) => void,
    private readonly clock: Clock = realClock,
  ) {}

  get running(): boolean {
    return this.#running;
  }

  /** Starts ticking; `phase` (0..1) places the ticks within each interval (see the header). */
  start(phase?: number): void {
    if (this.#running) return;
    this.#running = true;
    const now = this.clock.now();
    this.#deadline = firstDeadline(now, this.intervalMs, phase);
    this.#timer = this.clock.schedule(this.#run, this.#deadline - now);
  }

  /** The one stop path: cancels the pending timer. Safe to call from inside a tick. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    if (this.#timer !== null) this.clock.cancel(this.#timer);
    this.#timer = null;
  }

  #fire(): void {
    this.#timer = null;
    const interval = this.intervalMs;
    const now = this.clock.now();
    let missed = 0;
    if (now - this.#deadline > MAX_BEHIND * interval) {
      missed = Math.floor((now - this.#deadline) / interval);
      this.#deadline += missed * interval;
    }
    try {
      this.tick({ latenessMs: Math.max(0, now - this.#deadline), missed });
    } catch (err) {
      this.stop();
      this.onError(err);
      return;
    }
    // tick() may have stopped us (the room emptied), or stopped and started us again: then the
    // timer is already settled and nothing more is scheduled here.
    if (!this.#running || this.#timer !== null) return;
    this.#deadline += interval;
    this.#timer = this.clock.schedule(this.#run, Math.max(0, this.#deadline - this.clock.now()));
  }
}
