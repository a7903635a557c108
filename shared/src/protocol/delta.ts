// From game states to messages: the full snapshot a joining client needs, and the per-tick
// delta everyone else gets. The server calls these once per room per tick and sends the same
// bytes to every socket; mirror.ts is the inverse that a client (or a bot) runs.
// The contract, tested for every tick of long random games: applying tickMessage(prev, next)
// to a mirror of prev gives a mirror of next.
// Tutorial: docs/tutorial/02-protocol.md

import { Board } from '../board.js';
import type { GameEvent, GameState } from '../rules/state.js';
import type { SnapshotMessage, TickMessage, TopEntry } from './messages.js';

export function snapshotMessage(state: GameState, top: readonly TopEntry[]): SnapshotMessage {
  return {
    type: 'snapshot',
    tick: state.tick,
    board: Board.of(state.config).spec(),
    players: state.players.map((p) => ({ id: p.id, name: p.name, score: p.score, best: p.best, alive: p.snake !== null })),
    snakes: state.players.flatMap((p) => (p.snake ? [{ id: p.id, body: [...p.snake.body] }] : [])),
    food: [...state.food].sort((a, b) => a[0] - b[0]),
    stones: [...state.stones],
    top: [...top],
  };
}

/**
 * The delta from `prev` to `next` (one step apart). `top` holds the top-scores lines to send
 * this tick, or null for none. Empty fields are left out to keep quiet ticks small.
 */
export function tickMessage(
  prev: GameState,
  next: GameState,
  events: readonly GameEvent[],
  top: readonly TopEntry[] | null,
): TickMessage {
  const msg: TickMessage = { type: 'tick', tick: next.tick };
  const joins: NonNullable<TickMessage['joins']> = [];
  const leaves: number[] = [];
  const deaths: NonNullable<TickMessage['deaths']> = [];
  const spawned = new Set<number>();
  for (const e of events) {
    if (e.type === 'joined') joins.push({ id: e.id, name: e.name });
    else if (e.type === 'left') leaves.push(e.id);
    else if (e.type === 'died') deaths.push({ id: e.id, cause: e.cause, by: e.by });
    else if (e.type === 'spawned') spawned.add(e.id);
  }

  const board = Board.of(next.config);
  const before = new Map(prev.players.map((p) => [p.id, p]));
  const moves: [number, number, number][] = [];
  const spawns: NonNullable<TickMessage['spawns']> = [];
  const scores: [number, number, number][] = [];
  for (const p of next.players) {
    const old = before.get(p.id);
    if (p.snake) {
      if (spawned.has(p.id)) spawns.push({ id: p.id, body: [...p.snake.body] });
      else if (old?.snake) {
        const step = board.dirBetween(old.snake.body[0]!, p.snake.body[0]!);
        if (step === null) throw new Error(`player ${p.id}'s head did not move one cell`);
        moves.push([p.id, step, old.snake.body.length + 1 - p.snake.body.length]);
      }
    }
    const oldScore = old ? old.score : 0;
    const oldBest = old ? old.best : 0;
    if (p.score !== oldScore || p.best !== oldBest) scores.push([p.id, p.score, p.best]);
  }

  const food: [number, number][] = [];
  const eaten: number[] = [];
  // step() hands on the same Map when no food changed: then there is nothing to compare.
  if (next.food !== prev.food) {
    for (const [cell, value] of prev.food) if (next.food.get(cell) !== value) eaten.push(cell);
    for (const [cell, value] of next.food) if (prev.food.get(cell) !== value) food.push([cell, value]);
  }

  if (moves.length) msg.moves = moves;
  if (joins.length) msg.joins = joins;
  if (leaves.length) msg.leaves = leaves;
  if (deaths.length) msg.deaths = deaths;
  if (spawns.length) msg.spawns = spawns;
  if (scores.length) msg.scores = scores;
  if (food.length) msg.food = food;
  if (eaten.length) msg.eaten = eaten;
  if (top) msg.top = [...top];
  return msg;
}
