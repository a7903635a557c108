// A slow, uneven link on demand, for trying prediction and the jitter buffer on localhost:
// `?debug=1&lag=MS&jitter=MS` holds each message the page sends or receives for lag + a uniform
// random 0..jitter ms, in order (as TCP would deliver them). The queue is pure and tested by
// itself; LagLine puts it on a timer.
// Must not: reorder or drop anything, or be on without ?debug=1 (main.ts reads the switches).
// Tutorial: docs/tutorial/05-prediction.md

/** Items held until a due time, handed out in the order they were put in. */
export class DelayQueue<T> {
  readonly #items: { readonly due: number; readonly item: T }[] = [];

  /** Holds `item` until `nowMs + delayMs`, or until the item before it is due if that is later. */
  push(item: T, nowMs: number, delayMs: number): void {
    const before = this.#items.at(-1)?.due ?? Number.NEGATIVE_INFINITY;
    this.#items.push({ due: Math.max(nowMs + Math.max(0, delayMs), before), item });
  }

  /** Removes and returns the items due by `nowMs`, oldest first. */
  take(nowMs: number): T[] {
    let n = 0;
    while (n < this.#items.length && this.#items[n]!.due <= nowMs) n++;
    return this.#items.splice(0, n).map((e) => e.item);
  }

  /** When the first item is due; null when nothing is held. */
  get nextDue(): number | null {
    return this.#items[0]?.due ?? null;
  }

  get size(): number {
    return this.#items.length;
  }

  clear(): void {
    this.#items.length = 0;
  }
}

/** The delay settings from the page URL; null when there is none. */
export interface Lag {
  readonly lagMs: number;
  readonly jitterMs: number;
}

/** ?lag=MS&jitter=MS, only with ?debug=1; anything else (or 0 and 0) is no lag. */
export function readLag(params: URLSearchParams): Lag | null {
  if (params.get('debug') !== '1') return null;
  const ms = (key: string) => {
    const v = Number(params.get(key) ?? 0);
    return Number.isFinite(v) && v > 0 ? Math.min(v, 10_000) : 0;
  };
  const lag = { lagMs: ms('lag'), jitterMs: ms('jitter') };
  return lag.lagMs > 0 || lag.jitterMs > 0 ? lag : null;
}

/** Runs functions after the lag, in order, on the page's timers. */
export class LagLine {
  readonly #queue = new DelayQueue<() => void>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly lag: Lag,
    private readonly random: () => number = Math.random,
  ) {}

  run(fn: () => void): void {
    this.#queue.push(fn, performance.now(), this.lag.lagMs + this.random() * this.lag.jitterMs);
    this.#schedule();
  }

  /** Drops everything held. */
  stop(): void {
    this.#queue.clear();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    const due = this.#queue.nextDue;
    if (due === null || this.#timer) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        for (const fn of this.#queue.take(performance.now())) fn();
        this.#schedule();
      },
      Math.max(0, due - performance.now()),
    );
  }
}
