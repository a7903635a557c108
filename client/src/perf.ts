// How long each frame's JavaScript takes: our ticker work plus pixi's render call (which turns
// the scene into WebGL commands). Measured between a callback that runs before everything else
// on pixi's ticker and one that runs after its render, and kept for the last FRAMES frames.
// Only installed with ?debug=1; `npm run bench` reads it through window.__snakepit.frames.
// Tutorial: docs/tutorial/08-measuring.md

import { type Ticker, UPDATE_PRIORITY } from 'pixi.js';

const FRAMES = 600;

export interface FrameStats {
  readonly frames: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export class FrameTimer {
  readonly #times = new Float64Array(FRAMES);
  #count = 0;
  #startedAt = 0;

  constructor(ticker: Ticker) {
    // Before everything (interaction events run at 50), and after pixi's render (at LOW, -25).
    ticker.add(() => (this.#startedAt = performance.now()), undefined, UPDATE_PRIORITY.INTERACTION + 1);
    ticker.add(
      () => {
        this.#times[this.#count % FRAMES] = performance.now() - this.#startedAt;
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
    if (n === 0) return { frames: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 };
    const sorted = this.#times.slice(0, n).sort();
    return {
      frames: this.#count,
      p50Ms: sorted[Math.floor(n * 0.5)]!,
      p95Ms: sorted[Math.min(n - 1, Math.floor(n * 0.95))]!,
      maxMs: sorted[n - 1]!,
    };
  }
}
