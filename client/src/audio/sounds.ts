// Sounds, made with WebAudio when they play (no audio files to download): eating (the pitch
// rises with the digit), dying, coming back, and a soft tick when someone joins. Browsers let a
// page make sound only after the player has touched it, so nothing is created until the first
// pointer or key press (no AudioContext before then). The mute switch is remembered in
// localStorage. Must not: create an AudioContext before a gesture, or throw where WebAudio is
// missing (the game is silent there).
// Tutorial: docs/tutorial/04-drawing.md

import type { TickEvents } from '../render/events.ts';

const MUTE_KEY = 'snakepit:muted';
/** Overall loudness, 0..1: these are cues, not music. */
const VOLUME = 0.25;

/** What the debug hook reports: 'off' until a gesture (no AudioContext), then the context's state. */
export type SoundState = 'off' | AudioContextState;

export class Sounds {
  #ctx: AudioContext | null = null;
  #out: GainNode | null = null;
  #muted: boolean;
  #gesture = false;
  readonly #target: Window;
  readonly #unlock = () => this.#onGesture();

  constructor(target: Window = window) {
    this.#target = target;
    this.#muted = readMuted();
    for (const type of ['pointerdown', 'keydown', 'touchend'] as const) target.addEventListener(type, this.#unlock, { capture: true });
  }

  get state(): SoundState {
    return this.#ctx ? this.#ctx.state : 'off';
  }

  get muted(): boolean {
    return this.#muted;
  }

  set muted(value: boolean) {
    this.#muted = value;
    try {
      localStorage.setItem(MUTE_KEY, value ? '1' : '0');
    } catch {} // storage switched off: remembered until the page closes
    if (!value && this.#gesture) this.#start();
  }

  /** Plays what a tick did that concerns this player: your eats, death and return; anyone's arrival. */
  play(events: TickEvents, myId: number | null): void {
    if (this.#muted || !this.#ctx || this.#ctx.state !== 'running') return;
    for (const eat of events.eats) if (eat.id === myId) this.eat(eat.value);
    if (events.deaths.some((d) => d.id === myId)) this.death();
    if (myId !== null && events.spawns.includes(myId)) this.respawn();
    if (events.joins.some((id) => id !== myId)) this.join();
  }

  eat(value: number): void {
    // Two semitones a digit: a 9 sings a sixth higher than a 1.
    const f = 440 * 2 ** ((2 * (value - 1)) / 12);
    this.#tone({ type: 'triangle', from: f, to: f * 1.25, ms: 110, gain: 0.7 });
  }

  death(): void {
    this.#tone({ type: 'sawtooth', from: 330, to: 70, ms: 480, gain: 0.55, lowpass: 1200 });
  }

  respawn(): void {
    this.#tone({ type: 'triangle', from: 523, to: 523, ms: 90, gain: 0.5 });
    this.#tone({ type: 'triangle', from: 784, to: 784, ms: 140, gain: 0.5, delayMs: 90 });
  }

  join(): void {
    this.#tone({ type: 'sine', from: 1320, to: 1320, ms: 35, gain: 0.18 });
  }

  #onGesture(): void {
    this.#gesture = true;
    for (const type of ['pointerdown', 'keydown', 'touchend'] as const)
      this.#target.removeEventListener(type, this.#unlock, { capture: true });
    if (!this.#muted) this.#start();
  }

  #start(): void {
    if (this.#ctx) {
      void this.#ctx.resume().catch(() => {});
      return;
    }
    const Ctx = (this.#target as Window & { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctx) return;
    try {
      this.#ctx = new Ctx();
      this.#out = this.#ctx.createGain();
      this.#out.gain.value = VOLUME;
      this.#out.connect(this.#ctx.destination);
      void this.#ctx.resume().catch(() => {});
    } catch {
      this.#ctx = null; // too many contexts, or audio switched off: stay silent
    }
  }

  /** One note: an oscillator gliding from `from` to `to` Hz, with a quick attack and decay. */
  #tone(o: { type: OscillatorType; from: number; to: number; ms: number; gain: number; delayMs?: number; lowpass?: number }): void {
    const ctx = this.#ctx;
    if (!ctx || !this.#out) return;
    const t0 = ctx.currentTime + (o.delayMs ?? 0) / 1000;
    const t1 = t0 + o.ms / 1000;
    const osc = ctx.createOscillator();
    osc.type = o.type;
    osc.frequency.setValueAtTime(o.from, t0);
    osc.frequency.exponentialRampToValueAtTime(o.to, t1);
    const env = ctx.createGain();
    env.gain.setValueAtTime(0.0001, t0);
    env.gain.exponentialRampToValueAtTime(o.gain, t0 + 0.008);
    env.gain.exponentialRampToValueAtTime(0.0001, t1);
    let last: AudioNode = osc;
    if (o.lowpass) {
      const filter = ctx.createBiquadFilter();
      filter.type = 'lowpass';
      filter.frequency.value = o.lowpass;
      osc.connect(filter);
      last = filter;
    }
    last.connect(env);
    env.connect(this.#out);
    osc.start(t0);
    osc.stop(t1 + 0.02);
  }
}

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}
