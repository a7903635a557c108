// What the server counts about itself, kept as plain numbers so the hot path pays an addition,
// not a function call into a metrics library. /metrics (metrics.ts) reads them when scraped;
// the benchmark reads the raw tick samples through /bench/ticks.
// Tutorial: docs/tutorial/08-measuring.md

/** The last N ticks' duration and lateness, for exact percentiles. */
export class TickSamples {
  readonly #duration: Float32Array;
  readonly #lateness: Float32Array;
  #next = 0;
  #filled = 0;
  #maxLateness = 0;

  constructor(readonly capacity = 1 << 16) {
    this.#duration = new Float32Array(capacity);
    this.#lateness = new Float32Array(capacity);
  }

  add(durationMs: number, latenessMs: number): void {
    this.#duration[this.#next] = durationMs;
    this.#lateness[this.#next] = latenessMs;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#filled < this.capacity) this.#filled++;
    if (latenessMs > this.#maxLateness) this.#maxLateness = latenessMs;
  }

  reset(): void {
    this.#next = 0;
    this.#filled = 0;
    this.#maxLateness = 0;
  }

  summary(): TickSummary {
    const q = (data: Float32Array, p: number) => {
      if (this.#filled === 0) return 0;
      const sorted = data.slice(0, this.#filled).sort();
      return sorted[Math.min(this.#filled - 1, Math.floor(p * this.#filled))]!;
    };
    return {
      samples: this.#filled,
      durationP50Ms: q(this.#duration, 0.5),
      durationP99Ms: q(this.#duration, 0.99),
      latenessP50Ms: q(this.#lateness, 0.5),
      latenessP99Ms: q(this.#lateness, 0.99),
      latenessMaxMs: this.#maxLateness,
    };
  }
}

export interface TickSummary {
  readonly samples: number;
  readonly durationP50Ms: number;
  readonly durationP99Ms: number;
  readonly latenessP50Ms: number;
  readonly latenessP99Ms: number;
  readonly latenessMaxMs: number;
}

export class ServerStats {
  messagesIn = 0;
  bytesIn = 0;
  messagesOut = 0;
  bytesOut = 0;
  /** Sends skipped because a socket's buffer was over the cap (a slow reader). */
  sendsSkipped = 0;
  /** Sockets dropped for staying too slow. */
  slowDropped = 0;
  ticks = 0;
  /** Ticks a room's loop skipped after falling behind schedule. */
  ticksMissed = 0;
  readonly samples = new TickSamples();
  /** Called for every tick with its duration and lateness in ms (metrics.ts histograms). */
  onTick: ((durationMs: number, latenessMs: number) => void) | null = null;

  tick(durationMs: number, latenessMs: number, missed: number): void {
    this.ticks++;
    this.ticksMissed += missed;
    this.samples.add(durationMs, latenessMs);
    this.onTick?.(durationMs, latenessMs);
  }
}
