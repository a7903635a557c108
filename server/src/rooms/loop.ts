// A fixed-rate ticker: calls `tick` every `intervalMs`, on schedule rather than on average.
// Each deadline is the previous deadline plus the interval, so a late tick does not push every
// later one back (drift correction); when the process falls more than MAX_BEHIND ticks behind
// (a stall, a debugger), it skips ahead and counts the ticks it missed instead of bursting.
// It owns exactly one timer and has one stop path: start() twice makes no second timer, and
// stop() (an AbortController) clears it. A tick that throws stops the ticker and is reported.
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

  start(): void {
    if (this.#controller) return;
    const controller = new AbortController();
    this.#controller = controller;
    const { signal } = controller;
    const interval = this.intervalMs;
    let deadline = performance.now() + interval;
    let timer = setTimeout(run, interval);
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
