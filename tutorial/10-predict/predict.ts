// Step 10, prediction: with 100 ms each way between you and the server, a turn you press shows
// on screen 200 ms and more later, because the page draws only what the server sends back. So the
// page draws your own snake ahead of the server's word: from the last tick it got, it replays
// the turns you sent that the server has not acknowledged yet, with the rules' own nextDir, for
// as many ticks as a round trip takes. Every tick starts afresh from the server's word, so a
// wrong guess lasts one tick. It must not decide deaths, food or growth (the server's), nor
// judge a turn by a rule of its own. The real one is client/src/state/predict.ts.
// Chapter: docs/tutorial/05-prediction.md

import type { Dir, Player } from '../07-rules/rules.ts';
import { neighbour, nextDir } from '../07-rules/rules.ts';

export interface SentTurn {
  readonly seq: number;
  readonly dir: Dir;
}

/** The last turn seq the rules are done with for this player: applied, used up, or dropped. */
export function acknowledged(p: Player): number {
  return p.turns[0] === undefined ? p.seq : p.turns[0].seq - 1;
}

/** The way a body last moved, from its head and neck; null for a one-cell snake. */
export function movedDir(body: readonly number[], width: number): Dir | null {
  const [head, neck] = body;
  if (head === undefined || neck === undefined) return null;
  if (head === neck + 1) return 'right';
  if (head === neck - 1) return 'left';
  return head > neck ? 'down' : head === neck - width ? 'up' : null;
}

/**
 * Your snake `ahead` ticks on from `body` (the server's word), taking the turns not yet
 * acknowledged (`pending`) one tick at a time as the rules would. It keeps its length (growth is
 * the server's to say) and stops at a wall rather than guess a death.
 */
export function predict(
  body: readonly number[],
  pending: readonly SentTurn[],
  ahead: number,
  width: number,
  height: number,
): readonly number[] {
  const moved = movedDir(body, width);
  if (moved === null) return body;
  let dir: Dir = moved;
  let queue = pending;
  let predicted = body;
  for (let i = 0; i < ahead; i++) {
    const next: { dir: Dir; rest: readonly SentTurn[] } = nextDir(dir, queue);
    const head = neighbour(predicted[0]!, next.dir, width, height);
    if (head < 0) break;
    dir = next.dir;
    queue = next.rest;
    predicted = [head, ...predicted.slice(0, -1)];
  }
  return predicted;
}
