// A seeded pseudo-random generator whose whole state is one 32-bit integer.
// The state lives inside the game state, so a replay of the same seed and inputs is the same game:
// shared/ never calls Math.random. Algorithm: mulberry32 (public domain, Tommy Ettinger), small,
// fast and good enough for placing food; not for anything secret.
// Tutorial: docs/tutorial/02-rules.md

export class Rng {
  /** Current state; read it back after use to store it in the next game state. */
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}
