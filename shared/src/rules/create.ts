// A new room's game: an empty board with its stones placed, nobody playing yet.
// Tutorial: docs/tutorial/01-rules.md

import { FOOD_BASE, FOOD_PER_SNAKE, GRID_H, GRID_W, MAX_PLAYERS_PER_ROOM } from '../constants.js';
import { Rng } from '../rng.js';
import { emptyGrid, randomFreeCell, STONE } from './board.js';
import type { GameState, RulesConfig } from './state.js';

export const DEFAULT_RULES: RulesConfig = Object.freeze({
  width: GRID_W,
  height: GRID_H,
  maxPlayers: MAX_PLAYERS_PER_ROOM,
  stones: 0,
  foodBase: FOOD_BASE,
  foodPerSnake: FOOD_PER_SNAKE,
});

/** Smallest board the spawn rules can work with, in cells per side. */
export const MIN_BOARD_SIDE = 10;

export function createGame(config: RulesConfig, seed: number): GameState {
  if (config.width < MIN_BOARD_SIDE || config.height < MIN_BOARD_SIDE) {
    throw new RangeError(`board must be at least ${MIN_BOARD_SIDE}x${MIN_BOARD_SIDE} cells`);
  }
  const rng = new Rng(seed);
  const grid = emptyGrid(config.width, config.height);
  // Stones: scattered single cells, never more than a tenth of the board.
  const count = Math.min(config.stones, Math.floor((config.width * config.height) / 10));
  const stones: number[] = [];
  for (let i = 0; i < count; i++) {
    const cell = randomFreeCell(grid, rng);
    grid[cell] = STONE;
    stones.push(cell);
  }
  stones.sort((a, b) => a - b);
  return {
    config,
    tick: 0,
    rng: rng.state,
    players: [],
    food: new Map(),
    stones,
  };
}
