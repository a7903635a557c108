// What must be true of every game state, checked by the tests after every single step (and
// cheap enough to switch on in a debug server). Returns the broken rules, empty when all hold.
// Tutorial: docs/tutorial/02-rules.md

import { FOOD_MAX, FOOD_MIN } from '../constants.js';
import { Board } from '../board.js';
import type { GameState } from './state.js';

export function checkInvariants(state: GameState, previous?: GameState): string[] {
  const problems: string[] = [];
  const board = Board.of(state.config);
  const size = board.cells;
  const taken = new Map<number, number>(); // cell -> player id

  if (previous && state.tick !== previous.tick + 1) {
    problems.push(`tick went from ${previous.tick} to ${state.tick}`);
  }
  const ids = new Set<number>();
  for (const p of state.players) {
    if (ids.has(p.id)) problems.push(`player id ${p.id} appears twice`);
    ids.add(p.id);
    if (p.score < 0 || p.best < 0) problems.push(`player ${p.id} has a negative score`);
    if (p.best < p.score) problems.push(`player ${p.id} best ${p.best} < score ${p.score}`);
    if (!p.snake) continue;
    const { body } = p.snake;
    if (body.length < 1) problems.push(`player ${p.id} has an empty snake`);
    if (p.snake.grow < 0) problems.push(`player ${p.id} has negative growth`);
    body.forEach((cell, k) => {
      if (!Number.isInteger(cell) || cell < 0 || cell >= size) {
        problems.push(`player ${p.id} has a cell off the board: ${cell}`);
        return;
      }
      const other = taken.get(cell);
      if (other !== undefined) problems.push(`players ${other} and ${p.id} share cell ${cell}`);
      taken.set(cell, p.id);
      if (k > 0 && !board.adjacent(body[k - 1]!, cell)) {
        problems.push(`player ${p.id} body breaks between cells ${body[k - 1]} and ${cell}`);
      }
    });
  }
  const stones = new Set(state.stones);
  for (const [cell, value] of state.food) {
    if (taken.has(cell)) problems.push(`food on snake ${taken.get(cell)} at cell ${cell}`);
    if (stones.has(cell)) problems.push(`food on a stone at cell ${cell}`);
    if (!Number.isInteger(value) || value < FOOD_MIN || value > FOOD_MAX) problems.push(`food value ${value} at ${cell}`);
  }
  for (const s of stones) if (taken.has(s)) problems.push(`snake ${taken.get(s)} on a stone at cell ${s}`);
  return problems;
}
