// A room's best scores: the best score per player name, top TOP_SCORES first. Names are not
// accounts, so two players sharing a name share a line (the original game's rule too).
// Only the table itself is kept: a name that fell off it must beat the last line to return,
// so its old best no longer matters, and memory stays bounded however many names come by.
// The server keeps the table; a client rebuilds the same table from the lines the server says
// changed (record() each of them), which is why the rule lives here, once, for both.
// The table depends only on the best score per name recorded, never on the order of the
// records (ties are broken by name, and truncation only ever drops the lowest), so a client that
// gets a second's changes at once, in any order, ends with exactly the server's table.
// Tutorial: docs/tutorial/03-state-sync.md

import { TOP_SCORES } from './constants.js';
import type { TopEntry } from './protocol/messages.js';

export class TopScores {
  #table: readonly TopEntry[] = [];

  constructor(
    initial: readonly TopEntry[] = [],
    readonly size = TOP_SCORES,
  ) {
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
    // Below the last line of a full table it cannot get in (a tie with the last line can: the
    // name decides which of the two stays).
    if (!current && this.#table.length >= this.size && last && score < last.score) return false;
    const next = [...this.#table.filter((e) => e.name !== name), { name, score }].sort(byRank).slice(0, this.size);
    const changed = next.length !== this.#table.length || next.some((e, i) => e !== this.#table[i]);
    this.#table = next;
    return changed;
  }
}

/** Highest score first; between equal scores, the name first in code-point order. */
function byRank(a: TopEntry, b: TopEntry): number {
  return b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Lines of `now` that are new or higher than in `before`: what a client needs to catch up. */
export function changedLines(before: readonly TopEntry[], now: readonly TopEntry[]): TopEntry[] {
  const had = new Map(before.map((e) => [e.name, e.score]));
  return now.filter((e) => had.get(e.name) !== e.score);
}
