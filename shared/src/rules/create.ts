// A new room's game: an empty board with its stones placed, nobody playing yet.
// Tutorial: docs/tutorial/02-rules.md

import { FOOD_BASE, FOOD_PER_SNAKE, GRID_H, GRID_W, MAX_PLAYERS_PER_ROOM } from '../constants.js';
import { Rng } from '../rng.js';
import { emptyGrid, randomFreeCell, STONE } from './place.js';
import type { GameState, RulesConfig } from './state.js';

export const DEFAULT_RULES: RulesConfig = Object.freeze({
  width: GRID_W,
  height: GRID_H,
  walls: 'solid',
  maxPlayers: MAX_PLAYERS_PER_ROOM,
  stones: 0,
  foodBase: FOOD_BASE,
  foodPerSnake: FOOD_PER_SNAKE,
});

/** Smallest board the spawn rules can work with, in cells per side. */
export const MIN_BOARD_SIDE = 10;

/** Stones a board can take: a tenth of its cells, so snakes and food always have room. */
export function maxStones(board: { readonly width: number; readonly height: number }): number {
  return Math.floor((board.width * board.height) / 10);
}

export function createGame(config: RulesConfig, seed: number): GameState {
  if (config.width < MIN_BOARD_SIDE || config.height < MIN_BOARD_SIDE) {
    throw new RangeError(`board must be at least ${MIN_BOARD_SIDE}x${MIN_BOARD_SIDE} cells`);
  }
  const rng = new Rng(seed);
  const grid = emptyGrid(config.width, config.height);
  if (config.stones > maxStones(config)) {
    throw new RangeError(`${config.stones} stones do not fit a ${config.width}x${config.height} board (at most ${maxStones(config)})`);
  }
  // Stones: scattered single cells.
  const count = config.stones;
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
