// One tick of snakepit, as a story.
//
// A tick starts from a GameState and the inputs that arrived since the last tick, and returns
// the next GameState plus the events that happened. Nothing else goes in or out: no clock, no
// dt, no I/O, no Math.random (the seeded RNG's state travels inside the state). The arguments are
// never mutated. So the same seed and the same inputs always replay the same game, which is
// what the golden-replay test checks and what lets the server and a bot agree on everything.
//
// The phases, in order:
//   1. roll call    players who left go, players who joined arrive (they get snakes in phase 7);
//                   players whose connection dropped are away (their snakes hold still)
//   2. turns        each snake takes at most one valid queued turn
//   3. move heads   every live snake's head advances one cell; tails follow unless growing
//   4. collisions   walls, stones, bodies and heads, all judged at once
//   5. eat          surviving heads on food grow their snakes and score
//   6. deaths       dead snakes turn into food
//   7. spawn        new and returning players get snakes in open space
//   8. food         the board is topped up to its food target
//
// Tutorial: docs/tutorial/02-rules.md

import { DEATH_FOOD_MAX, FOOD_CAP_CELLS, MAX_QUEUED_TURNS } from '../constants.js';
import { Board } from '../board.js';
import type { Dir } from '../grid.js';
import { Rng } from '../rng.js';
import { emptyGrid, FOOD, foodValue, FREE, placeSnake, randomFreeCell, SNAKE, STONE } from './place.js';
import type { DeathCause, GameEvent, GameState, Player, Snake, StepResult, TickInputs } from './state.js';
import { nextDir } from './turns.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type WorkingPlayer = Mutable<Player>;
type LivePlayer = WorkingPlayer & { snake: Snake };
interface Death {
  readonly cause: DeathCause;
  /** The other snake's player id, for 'snake' and 'head-on'. */
  readonly by: number | null;
}

const NO_INPUTS: TickInputs = {};

export function step(state: GameState, inputs: TickInputs = NO_INPUTS): StepResult {
  const { config } = state;
  const board = Board.of(config);
  const { width, height } = board;
  const rng = new Rng(state.rng);
  const events: GameEvent[] = [];
  // Food is copied on the first change only: most ticks nobody eats, and then the next state
  // shares the previous state's (never mutated) Map.
  let food = state.food as Map<number, number>;
  let foodCopied = false;
  const changeFood = (): Map<number, number> => {
    if (!foodCopied) {
      food = new Map(food);
      foodCopied = true;
    }
    return food;
  };

  // 1. Roll call. Leavers vanish with their snakes (no food: leaving is not dying). Joiners
  //    are added without a snake; phase 7 places one once the board has settled.
  const leaving = new Set(inputs.leaves);
  const players: WorkingPlayer[] = [];
  for (const p of state.players) {
    if (leaving.has(p.id)) events.push({ type: 'left', id: p.id });
    else players.push({ ...p });
  }
  const toSpawn: WorkingPlayer[] = [];
  for (const join of inputs.joins ?? []) {
    if (players.length >= config.maxPlayers) break;
    if (players.some((p) => p.id === join.id)) continue;
    const p: WorkingPlayer = { id: join.id, name: join.name, score: 0, best: 0, snake: null, turns: [], seq: 0, away: false };
    if (join.bot) p.bot = true;
    players.push(p);
    toSpawn.push(p);
    events.push(join.bot ? { type: 'joined', id: p.id, name: p.name, bot: true } : { type: 'joined', id: p.id, name: p.name });
  }
  const byId = new Map<number, WorkingPlayer>();
  for (const p of players) byId.set(p.id, p);
  //    A dropped connection leaves the snake where it is, an obstacle, until its player is back.
  for (const id of inputs.away ?? []) {
    const p = byId.get(id);
    if (p) {
      p.away = true;
      p.turns = [];
    }
  }
  for (const id of inputs.back ?? []) {
    const p = byId.get(id);
    if (p) p.away = false;
  }

  // 2. Turns. New presses join the player's queue (at most MAX_QUEUED_TURNS wait; extra
  //    presses are dropped, so flooding gains nothing). Then each moving snake takes queued
  //    turns until one is valid (turns.ts). Each press carries the page's sequence number; the
  //    highest one seen is kept, so the page learns which of its turns this state includes.
  for (const { id, dir, seq } of inputs.turns ?? []) {
    const p = byId.get(id);
    if (!p) continue;
    const n = seq !== undefined && seq > p.seq ? seq : p.seq;
    p.seq = n;
    if (p.snake && !p.away && p.turns.length < MAX_QUEUED_TURNS) p.turns = [...p.turns, { dir, seq: n }];
  }
  const live = players.filter((p): p is LivePlayer => p.snake !== null && !p.away);
  const dirs: Dir[] = live.map((p) => {
    const { dir, rest } = nextDir(p.snake.dir, p.turns);
    p.turns = rest;
    return dir;
  });
  // Snakes whose players are away hold still: bodies to run into, never moving or dying.
  const held = players.filter((p): p is LivePlayer => p.snake !== null && p.away);

  // 3. Move heads. Each head steps one cell: -1 means into a solid wall; where the walls wrap,
  //    a head leaving one edge comes in at the other (board.ts). A snake with growth
  //    pending keeps its tail this tick; otherwise its tail cell is vacated, and another head
  //    may move into it in the same tick.
  const heads = live.map((p, i) => board.neighbour(p.snake.body[0]!, dirs[i]!));
  const keepsTail = live.map((p) => p.snake.grow > 0);

  // 4. Collisions, judged all at once against where every body is after the move.
  //    `owner` marks each body cell with its snake's index + 1 (stones are -1); new heads are
  //    not in it, they are compared with each other separately.
  const owner = ownerGrid(width * height);
  for (const s of state.stones) owner[s] = -1;
  live.forEach((p, i) => {
    const body = p.snake.body;
    const end = keepsTail[i] ? body.length : body.length - 1;
    for (let k = 0; k < end; k++) owner[body[k]!] = i + 1;
  });
  held.forEach((p, k) => {
    for (const c of p.snake.body) owner[c] = live.length + k + 1;
  });
  const headCount = new Map<number, number>();
  for (const h of heads) if (h >= 0) headCount.set(h, (headCount.get(h) ?? 0) + 1);

  const deaths = live.map((p, i): Death | null => {
    const h = heads[i]!;
    if (h < 0) return { cause: 'wall', by: null };
    const o = owner[h]!;
    if (o === -1) return { cause: 'stone', by: null };
    if (o > 0) {
      const other = o - 1;
      if (other === i) return { cause: 'self', by: null };
      if (other >= live.length) return { cause: 'snake', by: held[other - live.length]!.id };
      // Two snakes swapping head cells meet head to head, even though each lands on a neck.
      const swapped = heads[other] === p.snake.body[0];
      return { cause: swapped ? 'head-on' : 'snake', by: live[other]!.id };
    }
    if (headCount.get(h)! > 1) {
      const other = heads.findIndex((x, j) => x === h && j !== i);
      return { cause: 'head-on', by: live[other]!.id };
    }
    return null;
  });

  // 5. Eat. Survivors take their new bodies; a head on food eats it, growing the snake by the
  //    digit's value (one cell per tick from the next tick on) and scoring the same.
  live.forEach((p, i) => {
    if (deaths[i]) return;
    const h = heads[i]!;
    const old = p.snake;
    const body = advance(old.body, h, keepsTail[i]!);
    let grow = keepsTail[i] ? old.grow - 1 : 0;
    const value = food.get(h);
    if (value !== undefined) {
      changeFood().delete(h);
      grow += value;
      p.score += value;
      if (p.score > p.best) p.best = p.score;
      events.push({ type: 'ate', id: p.id, cell: h, value });
    }
    p.snake = { body, dir: dirs[i]!, grow };
  });

  // The board as it stands now, for placing food and snakes: FREE, SNAKE, STONE or FOOD. Made
  // on first use: on most ticks nobody dies, spawns or eats, and nothing needs placing.
  let built: Uint8Array | null = null;
  const grid = (): Uint8Array => {
    if (built !== null) return built;
    const g = emptyGrid(width, height);
    for (const s of state.stones) g[s] = STONE;
    for (const cell of food.keys()) g[cell] = FOOD;
    live.forEach((p, i) => {
      if (!deaths[i]) for (const c of p.snake.body) g[c] = SNAKE;
    });
    for (const p of held) for (const c of p.snake.body) g[c] = SNAKE;
    built = g;
    return g;
  };

  // 6. Deaths. The dead snake's cells become food where nothing else lies now, until food
  //    covers one cell in FOOD_CAP_CELLS (a long game of many deaths must not bury the board).
  const foodCap = Math.floor((width * height) / FOOD_CAP_CELLS);
  live.forEach((p, i) => {
    const death = deaths[i];
    if (!death) return;
    const g = grid();
    for (const c of p.snake.body) {
      if (g[c] !== FREE || food.size >= foodCap) continue;
      const value = rng.int(1, DEATH_FOOD_MAX);
      changeFood().set(c, value);
      g[c] = FOOD;
    }
    events.push({ type: 'died', id: p.id, cause: death.cause, by: death.by, score: p.score });
    (p as WorkingPlayer).snake = null;
    p.turns = [];
  });

  // 7. Spawn. Joiners, then players who were dead before this tick and asked to play again
  //    (someone who died this very tick must see it before coming back). A fresh life starts
  //    at score 0; the best score stays.
  const wasDead = new Set(state.players.filter((p) => p.snake === null).map((p) => p.id));
  for (const id of inputs.respawns ?? []) {
    const p = byId.get(id);
    if (p && p.snake === null && wasDead.has(id) && !toSpawn.includes(p)) toSpawn.push(p);
  }
  for (const p of toSpawn) {
    const placed = placeSnake(grid(), config, rng);
    if (placed === null) {
      events.push({ type: 'spawn-failed', id: p.id });
      continue;
    }
    p.snake = { body: placed.body, dir: placed.dir, grow: 0 };
    p.score = 0;
    p.turns = [];
    events.push({ type: 'spawned', id: p.id });
  }

  // 8. Food. Keep the board stocked: a base amount plus more for every live snake.
  const liveCount = players.reduce((n, p) => n + (p.snake ? 1 : 0), 0);
  const target = config.foodBase + config.foodPerSnake * liveCount;
  while (food.size < target) {
    const g = grid();
    const cell = randomFreeCell(g, rng);
    if (cell < 0) break;
    changeFood().set(cell, foodValue(rng));
    g[cell] = FOOD;
  }

  return {
    state: { config, tick: state.tick + 1, rng: rng.state, players, food, stones: state.stones },
    events,
  };
}

/** A body one step on: the new head, then the old body, dropping the tail unless growing. */
function advance(body: readonly number[], head: number, keepTail: boolean): number[] {
  const n = keepTail ? body.length + 1 : body.length;
  const next = new Array<number>(n);
  next[0] = head;
  for (let i = 1; i < n; i++) next[i] = body[i - 1]!;
  return next;
}

// Scratch for phase 4, reused between ticks like the grid in board.ts.
const owners = new Map<number, Int32Array>();
function ownerGrid(size: number): Int32Array {
  let grid = owners.get(size);
  if (grid === undefined) {
    grid = new Int32Array(size);
    owners.set(size, grid);
  } else {
    grid.fill(0);
  }
  return grid;
}
