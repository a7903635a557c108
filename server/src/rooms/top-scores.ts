// A room's best scores: the best score per player name, top TOP_SCORES first. Names are not
// accounts, so two players sharing a name share a line (the original game's rule too).
// Only the table itself is kept: a name that fell off it must beat the last line to return,
// so its old best no longer matters, and memory stays bounded however many names come by.
// Tutorial: docs/tutorial/03-server.md

import { TOP_SCORES, type TopEntry } from '@snakepit/shared';

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
