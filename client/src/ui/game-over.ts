// The game-over panel: what the life was worth (score, best, length, rank in the room, time
// alive) and how it ended, and playing again. Space, Enter or a tap plays again whatever has
// focus: a button clicked before (copy invite, leave) must not take the key for itself. Only a
// control inside the panel (such as a "watch replay" button) keeps its own keys, so the
// keyboard can still reach it. The life is followed from the world shown: when your snake
// appeared and how long it grew.
// Must not: send anything (Play again's click handler, in main.ts, does), or show player text
// any way but textContent.
// Tutorial: docs/tutorial/04-drawing.md

import type { DeathCause, PlayerView } from '@snakepit/shared';
import { byId } from './dom.ts';

const CAUSES: Record<DeathCause, (by: string | null) => string> = {
  wall: () => 'You hit the wall.',
  stone: () => 'You hit a stone.',
  self: () => 'You bit your own tail.',
  snake: (by) => (by ? `You ran into ${by}.` : 'You ran into another snake.'),
  'head-on': (by) => (by ? `Head-on with ${by}!` : 'Head-on collision!'),
};

/** One life's numbers, for the panel. */
export interface LifeSummary {
  readonly score: number;
  readonly best: number;
  readonly length: number;
  /** 1 for the best score in the room; null when not known. */
  readonly rank: number | null;
  readonly players: number;
  readonly seconds: number | null;
}

/** Follows your snake's life from the ticks shown: when it appeared and how long it grew. */
export class LifeTracker {
  #bornAt: number | null = null;
  #length = 0;
  #alive = false;

  /** Per shown world: your snake's length now (0: none), at `tick`. */
  track(length: number, tick: number): void {
    if (length > 0 && !this.#alive) this.#bornAt = tick;
    this.#alive = length > 0;
    if (length > 0) this.#length = length;
  }

  /** The summary at death (tick `tick`, ticks of `tickMs`), ranked among `players`. */
  summary(me: PlayerView | undefined, players: readonly PlayerView[], tick: number, tickMs: number): LifeSummary {
    const score = me?.score ?? 0;
    const rank = me ? 1 + players.filter((p) => p.id !== me.id && p.score > score).length : null;
    return {
      score,
      best: Math.max(me?.best ?? 0, score),
      length: this.#length,
      rank,
      players: players.length,
      seconds: this.#bornAt === null ? null : Math.max(0, ((tick - this.#bornAt) * tickMs) / 1000),
    };
  }

  reset(): void {
    this.#bornAt = null;
    this.#length = 0;
    this.#alive = false;
  }
}

/** "1st", "2nd", "3rd", "11th"... */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "42 s", "3 min 05 s". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export class GameOverPanel {
  readonly #panel = byId('game-over');
  readonly #reason = byId('game-over-reason');
  readonly #score = byId('game-over-score');
  readonly #stats = byId('game-over-stats');
  readonly #again = byId<HTMLButtonElement>('play-again');

  constructor(target: Window = window) {
    // Captured at the window, before any focused element sees the key.
    target.addEventListener('keydown', (e) => this.#key(e), { capture: true });
    target.addEventListener('keyup', (e) => this.#keyUp(e), { capture: true });
    // A tap anywhere on the panel but another control of its own plays again too.
    this.#panel.addEventListener('click', (e) => {
      if (e.target instanceof Element && e.target.closest('button, a, input, select') && e.target !== this.#again) return;
      if (e.target !== this.#again) this.#again.click();
    });
  }

  get shown(): boolean {
    return !this.#panel.hidden;
  }

  /** How the last life ended, as the panel says it (the HUD's live region repeats it). */
  get reason(): string {
    return this.#reason.textContent ?? '';
  }

  show(cause: DeathCause | null, by: string | null, life: LifeSummary): void {
    this.#reason.textContent = cause ? CAUSES[cause](by) : 'There was no room for your snake: play again in a moment.';
    this.#score.textContent = String(life.score);
    const rows: [string, string][] = [
      ['best', String(life.best)],
      ['length', String(life.length)],
    ];
    if (life.rank !== null) rows.push(['rank', `${ordinal(life.rank)} of ${life.players}`]);
    if (life.seconds !== null) rows.push(['time alive', duration(life.seconds)]);
    this.#stats.replaceChildren(
      ...rows.flatMap(([name, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = name;
        const dd = document.createElement('dd');
        dd.textContent = value;
        dd.dataset.stat = name;
        return [dt, dd];
      }),
    );
    this.#stats.hidden = cause === null;
    this.#panel.hidden = false;
  }

  hide(): void {
    this.#panel.hidden = true;
  }

  /** Does this key press belong to the panel? Not in a text field, nor on a control of its own. */
  #claims(e: KeyboardEvent): boolean {
    if (!this.shown || (e.code !== 'Space' && e.code !== 'Enter')) return false;
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return false;
    if (t instanceof Element && t !== this.#again && this.#panel.contains(t) && t.closest('button, a')) return false;
    return true;
  }

  #key(e: KeyboardEvent): void {
    if (!this.#claims(e)) return;
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) this.#again.click();
  }

  /** A button activates on Space's release: the panel took the press, so it takes the release. */
  #keyUp(e: KeyboardEvent): void {
    if (e.code === 'Space' && this.#claims(e)) e.preventDefault();
  }
}
