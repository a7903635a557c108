// How queued turns become a snake's direction, and which of a player's turns the rules have
// dealt with. The tick (step.ts, phase 2) and the page's prediction of its own snake both call
// these, so a predicted turn is judged exactly as the server will judge it.
// Tutorial: docs/tutorial/02-rules.md

import { type Dir, opposite } from '../grid.js';
import type { Player, QueuedTurn } from './state.js';

/**
 * The direction a snake that last moved `moved` takes this tick, and what is left of its queue.
 * Queued turns are taken in order until one is valid: a reversal, or a press of the way it is
 * already going, is used up without effect. A turn is judged against the move actually made,
 * not the last key pressed, so two quick keys can never reverse a snake into its own neck.
 */
export function nextDir<T extends { readonly dir: Dir }>(moved: Dir, queue: readonly T[]): { dir: Dir; rest: readonly T[] } {
  for (let i = 0; i < queue.length; i++) {
    const t = queue[i]!.dir;
    if (t !== moved && t !== opposite(moved)) return { dir: t, rest: queue.slice(i + 1) };
  }
  return { dir: moved, rest: queue.length === 0 ? queue : [] };
}

/**
 * The last of the player's turn sequence numbers the rules are done with: every turn up to it
 * was applied, used up, or dropped (a full queue), and its effect is in this state. Turns still
 * queued are not: the page replays those, and any it sent since, on top of this state.
 */
export function acknowledged(p: Pick<Player, 'turns' | 'seq'>): number {
  const first: QueuedTurn | undefined = p.turns[0];
  return first === undefined ? p.seq : first.seq - 1;
}
