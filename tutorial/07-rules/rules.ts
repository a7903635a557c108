// Step 7, the rules as a pure function: step(state, inputs) returns the next state and changes
// nothing else. No clock, no I/O, no Math.random: the random generator's state is part of the
// game state, so the same seed and the same inputs replay the same game, on the server, in a
// test, or (step 10) on the page. It must stay free of Node and DOM APIs: the page imports it.
// A small copy of shared/src/rules/step.ts, with its phases in the same order.
// Chapter: docs/tutorial/02-rules.md

export type Dir = 'up' | 'down' | 'left' | 'right';
export const DIRS: readonly Dir[] = ['up', 'down', 'left', 'right'];
const OPPOSITE: Record<Dir, Dir> = { up: 'down', down: 'up', left: 'right', right: 'left' };
/** Turns a player may have waiting; more presses in one tick are dropped. */
export const MAX_QUEUED = 3;

export interface Snake {
  readonly id: number;
  /** Cells (y * width + x), head first. */
  readonly body: readonly number[];
  /** The way the snake moved on its last tick. */
  readonly dir: Dir;
  /** Cells still to grow: while > 0 the tail stays put. */
  readonly grow: number;
}
export interface Turn {
  readonly dir: Dir;
  readonly seq: number;
}
export interface Player {
  readonly id: number;
  readonly turns: readonly Turn[];
  /** The highest turn seq that reached the rules (step 10 tells the page). */
  readonly seq: number;
}
export interface State {
  readonly width: number;
  readonly height: number;
  readonly tick: number;
  /** The seeded generator's state. */
  readonly rng: number;
  readonly players: readonly Player[];
  readonly snakes: readonly Snake[];
  readonly food: readonly number[];
}
export interface Inputs {
  readonly joins?: readonly number[];
  readonly leaves?: readonly number[];
  readonly turns?: readonly { readonly id: number; readonly dir: Dir; readonly seq: number }[];
}

export function newGame(seed: number, width = 24, height = 16): State {
  return { width, height, tick: 0, rng: seed >>> 0, players: [], snakes: [], food: [] };
}

/** mulberry32: the next state and a float in [0, 1). */
export function random(state: number): [number, number] {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(next ^ (next >>> 15), next | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [next, ((t ^ (t >>> 14)) >>> 0) / 4294967296];
}

/**
 * The way a snake that last moved `moved` goes this tick, and the turns left waiting. A turn is
 * judged against the move made, not the last key: two quick keys cannot reverse a snake.
 */
export function nextDir<T extends { readonly dir: Dir }>(moved: Dir, queue: readonly T[]): { dir: Dir; rest: readonly T[] } {
  for (let i = 0; i < queue.length; i++) {
    const dir = queue[i]!.dir;
    if (dir !== moved && dir !== OPPOSITE[moved]) return { dir, rest: queue.slice(i + 1) };
  }
  return { dir: moved, rest: [] };
}

/** The next cell in `dir`, or -1 past the edge (the walls are solid). */
export function neighbour(cell: number, dir: Dir, width: number, height: number): number {
  const x = cell % width;
  const y = Math.floor(cell / width);
  if (dir === 'up') return y > 0 ? cell - width : -1;
  if (dir === 'down') return y < height - 1 ? cell + width : -1;
  if (dir === 'left') return x > 0 ? cell - 1 : -1;
  return x < width - 1 ? cell + 1 : -1;
}

export function step(state: State, inputs: Inputs = {}): State {
  const { width, height } = state;
  let rng = state.rng;
  const roll = () => {
    const [next, value] = random(rng);
    rng = next;
    return value;
  };

  // 1. Roll call: leavers go with their snakes; joiners arrive (their snakes come in phase 6).
  const leaving = new Set(inputs.leaves);
  let players = state.players.filter((p) => !leaving.has(p.id));
  for (const id of inputs.joins ?? []) if (!players.some((p) => p.id === id)) players.push({ id, turns: [], seq: 0 });

  // 2. Turns: presses join their player's queue; each snake takes the first valid one.
  players = players.map((p) => {
    const mine = (inputs.turns ?? []).filter((t) => t.id === p.id);
    const turns = [...p.turns, ...mine.map(({ dir, seq }) => ({ dir, seq }))].slice(0, MAX_QUEUED);
    return { ...p, turns, seq: Math.max(p.seq, ...mine.map((t) => t.seq)) };
  });
  const byId = new Map(players.map((p) => [p.id, p]));
  const live = state.snakes.filter((s) => byId.has(s.id));
  const dirs = live.map((s) => {
    const { dir, rest } = nextDir(s.dir, byId.get(s.id)!.turns);
    byId.set(s.id, { ...byId.get(s.id)!, turns: rest });
    return dir;
  });

  // 3. Move heads: one cell each; a tail moves away unless its snake is growing.
  const heads = live.map((s, i) => neighbour(s.body[0]!, dirs[i]!, width, height));
  const bodies = live.map((s, i) => [heads[i]!, ...(s.grow > 0 ? s.body : s.body.slice(0, -1))]);

  // 4. Collisions, all at once: a wall, any body after the move, or another head on the same cell.
  const taken = new Map<number, number>(); // cell -> how many snakes cover it
  for (const body of bodies) for (const cell of body) taken.set(cell, (taken.get(cell) ?? 0) + 1);
  const dead = heads.map((h) => h < 0 || taken.get(h)! > 1);

  // 5. Eat: a surviving head on food grows its snake by one.
  const food = new Set(state.food);
  let snakes: Snake[] = [];
  live.forEach((s, i) => {
    if (dead[i]) return;
    const ate = food.delete(heads[i]!);
    snakes.push({ id: s.id, body: bodies[i]!, dir: dirs[i]!, grow: Math.max(0, s.grow - 1) + (ate ? 1 : 0) });
  });

  // 6. Spawn: a player with no snake, who did not just die, gets one on a free cell.
  const used = new Set([...food, ...snakes.flatMap((s) => s.body)]);
  const free = () => {
    for (let tries = 0; tries < 100; tries++) {
      const cell = Math.floor(roll() * width * height);
      if (!used.has(cell)) return cell;
    }
    return -1;
  };
  const justDied = new Set(live.filter((_, i) => dead[i]).map((s) => s.id));
  for (const p of players) {
    if (justDied.has(p.id) || snakes.some((s) => s.id === p.id)) continue;
    const cell = free();
    if (cell < 0) continue;
    used.add(cell);
    snakes.push({ id: p.id, body: [cell], dir: cell % width < width / 2 ? 'right' : 'left', grow: 2 }); // into the open
  }
  snakes = snakes.sort((a, b) => a.id - b.id);

  // 7. Food: keep one item per player and two more on the board.
  while (food.size < players.length + 2) {
    const cell = free();
    if (cell < 0) break;
    used.add(cell);
    food.add(cell);
  }

  return { width, height, tick: state.tick + 1, rng, players: players.map((p) => byId.get(p.id)!), snakes, food: [...food] };
}
