// A room's best scores: the best score per player name, top TOP_SCORES first. Names are not
// accounts, so two players sharing a name share a line (the original game's rule too).
// Only the table itself is kept: a name that fell off it must beat the last line to return,
// so its old best no longer matters, and memory stays bounded however many names come by.
// The server keeps the table; a client rebuilds the same table from the lines the server says
// changed (record() each of them), which is why the rule lives here, once, for both.
// Tutorial: docs/tutorial/02-protocol.md

import { TOP_SCORES } from './constants.js';
import type { TopEntry } from './protocol/messages.js';

export class TopScores {
  #table: readonly TopEntry[] = [];

  constructor(initial: readonly TopEntry[] = [], readonly size = TOP_SCORES) {
    this.#table = initial.slice(0, size);
  }

  get table(): readonly TopEntry[] {
    return this.#table;
  }

  /** Records a score; true when the table changed. */
  record(name: string, score: number): boolean {
    if (score <= 0) return false;
    const current = this.#table.find((e) => e.name === name);
    if (current && current.score >= score) return false;
    const last = this.#table.at(-1);
    if (!current && this.#table.length >= this.size && last && score <= last.score) return false;
    this.#table = [...this.#table.filter((e) => e.name !== name), { name, score }]
      .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, this.size);
    return true;
  }
}

/** Lines of `now` that are new or higher than in `before`: what a client needs to catch up. */
export function changedLines(before: readonly TopEntry[], now: readonly TopEntry[]): TopEntry[] {
  const had = new Map(before.map((e) => [e.name, e.score]));
  return now.filter((e) => had.get(e.name) !== e.score);
}
