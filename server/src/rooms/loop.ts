// A fixed-rate ticker: calls `tick` every `intervalMs`, on schedule rather than on average.
// Each deadline is the previous deadline plus the interval, so a late tick does not push every
// later one back (drift correction); when the process falls more than MAX_BEHIND ticks behind
// (a stall, a debugger), it skips ahead and counts the ticks it missed instead of bursting.
// It owns exactly one timer and has one stop path: start() twice makes no second timer, and
// stop() (an AbortController) clears it. A tick that throws stops the ticker and is reported.
// A ticker can be given a phase: where in each interval its ticks fall. Rooms created in a
// burst (a server restart, everyone reconnecting) would otherwise all tick at the same moment,
// one after another, and the last of them late by the sum of the others' work.
// Tutorial: docs/tutorial/03-server.md

import { performance } from 'node:perf_hooks';

/** How far behind schedule, in ticks, before the ticker gives up catching up. */
const MAX_BEHIND = 3;

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
  #controller: AbortController | null = null;

  constructor(
    readonly intervalMs: number,
    private readonly tick: (timing: TickTiming) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  get running(): boolean {
    return this.#controller !== null;
  }

  /** Starts ticking; `phase` (0..1) places the ticks within each interval (see the header). */
  start(phase?: number): void {
    if (this.#controller) return;
    const controller = new AbortController();
    this.#controller = controller;
    const { signal } = controller;
    const interval = this.intervalMs;
    const now = performance.now();
    let deadline = firstDeadline(now, interval, phase);
    let timer = setTimeout(run, deadline - now);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

    const self = this;
    function run(): void {
      const now = performance.now();
      let missed = 0;
      if (now - deadline > MAX_BEHIND * interval) {
        missed = Math.floor((now - deadline) / interval);
        deadline += missed * interval;
      }
      try {
        self.tick({ latenessMs: Math.max(0, now - deadline), missed });
      } catch (err) {
        self.stop();
        self.onError(err);
        return;
      }
      // tick() may have stopped us (the room emptied): then schedule nothing.
      if (signal.aborted) return;
      deadline += interval;
      timer = setTimeout(run, Math.max(0, deadline - performance.now()));
    }
  }

  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
  }
}
