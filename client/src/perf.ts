// How long each frame's JavaScript takes: our ticker work plus pixi's render call (which turns
// the scene into WebGL commands). Measured between a callback that runs before everything else
// on pixi's ticker and one that runs after its render, and kept for the last FRAMES frames; a
// mark just before the render splits the two, since a render call can also wait on the GPU
// (or on a GPU drawn by the CPU, as in a headless browser), which no change to our code removes.
// Only installed with ?debug=1; `npm run bench` reads it through window.__snakepit.frames.
// Tutorial: docs/tutorial/08-measuring.md

import { type Ticker, UPDATE_PRIORITY } from 'pixi.js';

const FRAMES = 600;

export interface FrameStats {
  readonly frames: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Our ticker callbacks alone (everything before the render call). */
  readonly updateP50Ms: number;
  readonly updateP95Ms: number;
  /** pixi's render call alone. */
  readonly renderP50Ms: number;
  readonly renderP95Ms: number;
}

export class FrameTimer {
  readonly #times = new Float64Array(FRAMES);
  readonly #updates = new Float64Array(FRAMES);
  #count = 0;
  #startedAt = 0;
  #renderAt = 0;

  constructor(ticker: Ticker) {
    // Before everything (interaction events run at 50), just before pixi's render (at LOW, -25;
    // our own callbacks run at NORMAL, 0), and after it.
    ticker.add(() => (this.#startedAt = performance.now()), undefined, UPDATE_PRIORITY.INTERACTION + 1);
    ticker.add(() => (this.#renderAt = performance.now()), undefined, UPDATE_PRIORITY.LOW + 1);
    ticker.add(
      () => {
        const i = this.#count % FRAMES;
        this.#times[i] = performance.now() - this.#startedAt;
        this.#updates[i] = this.#renderAt - this.#startedAt;
        this.#count++;
      },
      undefined,
      UPDATE_PRIORITY.UTILITY,
    );
  }

  reset(): void {
    this.#count = 0;
  }

  stats(): FrameStats {
    const n = Math.min(this.#count, FRAMES);
    if (n === 0) return { frames: 0, p50Ms: 0, p95Ms: 0, maxMs: 0, updateP50Ms: 0, updateP95Ms: 0, renderP50Ms: 0, renderP95Ms: 0 };
    const at = (sorted: Float64Array, q: number) => sorted[Math.min(n - 1, Math.floor(n * q))]!;
    const whole = this.#times.slice(0, n).sort();
    const updates = this.#updates.slice(0, n);
    const renders = updates.map((u, i) => this.#times[i]! - u).sort();
    updates.sort();
    return {
      frames: this.#count,
      p50Ms: at(whole, 0.5),
      p95Ms: at(whole, 0.95),
      maxMs: whole[n - 1]!,
      updateP50Ms: at(updates, 0.5),
      updateP95Ms: at(updates, 0.95),
      renderP50Ms: at(renders, 0.5),
      renderP95Ms: at(renders, 0.95),
    };
  }
}
