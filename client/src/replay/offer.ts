// The game-over panel's "watch replay" link: the server names the recording of the life that
// just ended (the `replay` message, right after the tick that reported the death), and the panel
// shown for that death links to /?replay=<id>&room=<room>, in a new tab so the game goes on here.
// (The room rides along so that a proxy hashing on `room` reaches the process that recorded it.)
// The link shows only when the recording and the death are of the same tick: never a previous life's.
// Must not: load the viewer; the link's page does (replay/viewer.ts).
// Tutorial: docs/tutorial/04-drawing.md

import './offer.css';
import { byId } from '../ui/dom.ts';

/** Recordings remembered while their death waits in the jitter buffer to be shown. */
const KEPT = 4;

export class ReplayOffer {
  readonly #link = byId<HTMLAnchorElement>('watch-replay');
  /** Replay ids by the tick of the death they recorded. */
  readonly #ids = new Map<number, string>();
  /** The tick of the death the game-over panel shows, or null. */
  #death: number | null = null;

  /** `room`: the room the page plays in now. */
  constructor(private readonly room: () => string | null) {}

  /** The server recorded the life that ended at `tick`. */
  recorded(tick: number, id: string): void {
    this.#ids.set(tick, id);
    if (this.#ids.size > KEPT) this.#ids.delete(this.#ids.keys().next().value!);
    this.#update();
  }

  /** The game-over panel now shows the death at `tick`. */
  died(tick: number): void {
    this.#death = tick;
    this.#update();
  }

  /** A new connection or room: nothing recorded before belongs to it. */
  reset(): void {
    this.#ids.clear();
    this.#death = null;
    this.#update();
  }

  #update(): void {
    const id = this.#death === null ? undefined : this.#ids.get(this.#death);
    this.#link.hidden = id === undefined;
    const room = this.room();
    if (id !== undefined) this.#link.href = `/?replay=${encodeURIComponent(id)}${room === null ? '' : `&room=${encodeURIComponent(room)}`}`;
  }
}
