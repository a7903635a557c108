// The server's tick clock as the page can know it, and the render clock that follows it.
// Ticks leave the server exactly one interval apart but arrive with jitter. Pacing the drawing
// by arrival makes a late tick freeze the snakes and then jump them. Instead the page estimates
// the server's clock from tick numbers and arrival times (the earliest arrivals of the last few
// seconds are the least delayed, so they mark the clock), and draws at a render tick a small,
// adaptive delay behind it: enough to cover the jitter it has seen (Valve's interpolation
// buffer, keyed by tick numbers rather than by time stamps the server would have to send).
// Must not: touch the DOM or a real clock. Callers pass `nowMs`, so tests drive it by hand.
// Tutorial: docs/tutorial/04-drawing.md

/** Arrivals remembered for the estimate: 4 s at 10 ticks/s. */
const WINDOW = 40;
/**
 * Drawing tick t needs tick ceil(t) to have arrived: a snake slides into the cell a tick put it
 * in over the interval before. So the render clock runs at least one tick behind the server's,
 * plus the jitter seen, plus this headroom, in ticks...
 */
const BUFFER_MARGIN_TICKS = 0.3;
export const MIN_BUFFER_TICKS = 1 + BUFFER_MARGIN_TICKS;
/** ...and never more than this: past it a link is too bad to hide, and waiting only adds delay. */
export const MAX_BUFFER_TICKS = 4;
/**
 * In its last this-many ticks before the newest tick, the render clock eases to a stop. Smaller
 * than the margin, so on a steady link it never slows; only a tick later than the buffer covers
 * brings it into the zone.
 */
const SOFT_ZONE_TICKS = 0.25;
/** Further from its target than this, the render clock jumps instead of catching up. */
const SNAP_TICKS = 3;
/** How hard the render clock leans toward its target: rate 1 + this * error, within 0.5..1.5. */
const STEER = 1;

export class TickClock {
  /** arrival time - tick * interval, for the last WINDOW ticks, oldest first. */
  readonly #offsets: number[] = [];
  #latest = -1;

  constructor(readonly intervalMs: number) {}

  /** The newest tick number that has arrived (-1 before any). */
  get latest(): number {
    return this.#latest;
  }

  /** Tick `tick` arrived at `atMs`. Older ticks arriving late are still samples of the delay. */
  arrive(tick: number, atMs: number): void {
    this.#offsets.push(atMs - tick * this.intervalMs);
    if (this.#offsets.length > WINDOW) this.#offsets.shift();
    if (tick > this.#latest) this.#latest = tick;
  }

  /** Forget everything (a new connection: tick numbers may start elsewhere). */
  reset(): void {
    this.#offsets.length = 0;
    this.#latest = -1;
  }

  /** The server's tick at `nowMs`, fractional, as seen at the least delayed arrival. */
  serverTick(nowMs: number): number {
    if (this.#offsets.length === 0) return this.#latest;
    return (nowMs - Math.min(...this.#offsets)) / this.intervalMs;
  }

  /** How late ticks arrive beyond the least delayed one: the 95th percentile, in ms. */
  jitterMs(): number {
    const n = this.#offsets.length;
    if (n < 2) return 0;
    const sorted = [...this.#offsets].sort((a, b) => a - b);
    return sorted[Math.min(n - 1, Math.ceil(0.95 * n) - 1)]! - sorted[0]!;
  }

  /** The render delay, in ticks: one, plus the jitter seen, plus a margin, within the bounds above. */
  bufferTicks(): number {
    const ticks = 1 + this.jitterMs() / this.intervalMs + BUFFER_MARGIN_TICKS;
    return Math.min(MAX_BUFFER_TICKS, Math.max(MIN_BUFFER_TICKS, ticks));
  }
}

/**
 * The tick the page draws, moved on once per frame. It follows `serverTick - buffer` at about
 * one tick per interval, leaning a little faster or slower to close any gap, and never passes
 * the newest tick that has arrived: when a tick is later than the buffer covers, it slows down
 * smoothly on the approach instead of running on and snapping back.
 */
export class RenderClock {
  /** Fractional tick being drawn; NaN until the first frame with a tick. */
  tick = Number.NaN;

  constructor(readonly clock: TickClock) {}

  /** Where the render clock wants to be at `nowMs`. */
  target(nowMs: number): number {
    return this.clock.serverTick(nowMs) - this.clock.bufferTicks();
  }

  /** Advances by `dtMs` of real time and returns the tick to draw. */
  advance(nowMs: number, dtMs: number): number {
    const latest = this.clock.latest;
    if (latest < 0) return this.tick;
    const target = Math.min(this.target(nowMs), latest);
    if (Number.isNaN(this.tick) || Math.abs(target - this.tick) > SNAP_TICKS) {
      this.tick = target;
      return this.tick;
    }
    // Ease toward the newest tick: full speed until the soft zone, then in proportion.
    const rate = Math.min(steeredRate(this.tick, target), Math.max(0, (latest - this.tick) / SOFT_ZONE_TICKS));
    this.tick = Math.min(latest, this.tick + (rate * dtMs) / this.clock.intervalMs);
    return this.tick;
  }

  reset(): void {
    this.tick = Number.NaN;
  }
}

/**
 * The predicted present, where your own snake is drawn: the server's tick as the page sees it
 * plus one round trip, which is the tick a key pressed now reaches the server in. Its inputs
 * move in steps (a new round-trip sample, an earlier arrival), so it follows that target the way
 * the render clock follows its own, never jumping unless it is more than SNAP_TICKS off.
 */
export class PresentClock {
  /** Fractional tick; NaN until the first frame with a target. */
  tick = Number.NaN;

  /** Advances by `dtMs` of real time toward `target` and returns the tick to draw. */
  advance(target: number, dtMs: number, intervalMs: number): number {
    if (Number.isNaN(target)) return this.tick;
    if (Number.isNaN(this.tick) || Math.abs(target - this.tick) > SNAP_TICKS) this.tick = target;
    // Steered by where the target was at the frame's start, so that it lands on it, not a frame past.
    else this.tick += (steeredRate(this.tick, target - dtMs / intervalMs) * dtMs) / intervalMs;
    return this.tick;
  }

  reset(): void {
    this.tick = Number.NaN;
  }
}

/** Ticks per interval for a clock at `tick` that should be at `target`: 1, leaning 0.5..1.5. */
function steeredRate(tick: number, target: number): number {
  return 1 + Math.max(-0.5, Math.min(0.5, (target - tick) * STEER));
}
