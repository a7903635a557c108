// Test helpers for the rules: hand-built states, a canonical hash, and a random game driver.

import { createHash } from 'node:crypto';
import { type Dir, DEFAULT_RULES, type GameState, type Player, type Rng, type RulesConfig, type TickInputs } from '@snakepit/shared';

const cellOf = (x: number, y: number, width: number) => y * width + x;

export interface SnakeSpec {
  id: number;
  /** [x, y] cells, head first. */
  body: [number, number][];
  dir: Dir;
  grow?: number;
  score?: number;
  best?: number;
}

/** A small hand-made state: a 20x20 board by default, no food unless given, no food refill. */
export function makeState(opts: {
  snakes?: SnakeSpec[];
  dead?: { id: number; score?: number; best?: number }[];
  food?: [number, number, number][];
  stones?: [number, number][];
  config?: Partial<RulesConfig>;
  tick?: number;
}): GameState {
  const config: RulesConfig = { ...DEFAULT_RULES, width: 20, height: 20, foodBase: 0, foodPerSnake: 0, ...opts.config };
  const w = config.width;
  const players: Player[] = (opts.snakes ?? []).map((s) => ({
    id: s.id,
    name: `p${s.id}`,
    score: s.score ?? 0,
    best: s.best ?? s.score ?? 0,
    snake: { body: s.body.map(([x, y]) => cellOf(x, y, w)), dir: s.dir, grow: s.grow ?? 0 },
    turns: [],
    seq: 0,
    away: false,
  }));
  for (const d of opts.dead ?? []) {
    players.push({
      id: d.id,
      name: `p${d.id}`,
      score: d.score ?? 0,
      best: d.best ?? d.score ?? 0,
      snake: null,
      turns: [],
      seq: 0,
      away: false,
    });
  }
  return {
    config,
    tick: opts.tick ?? 0,
    rng: 12345,
    players,
    food: new Map((opts.food ?? []).map(([x, y, v]) => [cellOf(x, y, w), v])),
    stones: (opts.stones ?? []).map(([x, y]) => cellOf(x, y, w)).sort((a, b) => a - b),
  };
}

/** Canonical JSON of a state (Maps as sorted pairs), for equality and hashing. */
export function serialize(state: GameState): string {
  return JSON.stringify({ ...state, food: [...state.food].sort((a, b) => a[0] - b[0]) });
}

export function hashState(state: GameState): string {
  return createHash('sha256').update(serialize(state)).digest('hex').slice(0, 16);
}

export function xy(cell: number, width = 20): [number, number] {
  return [cell % width, Math.floor(cell / width)];
}

/**
 * Inputs for one tick of a busy random game: turns (often several, sometimes reversals),
 * respawns for the dead, and the occasional join or leave. Driven by its own seeded Rng so a
 * game is reproducible from one number.
 */
export function randomInputs(state: GameState, rng: Rng, nextId: { value: number }, maxPlayers = 6): TickInputs {
  const joins: { id: number; name: string }[] = [];
  const leaves: number[] = [];
  const turns: { id: number; dir: Dir }[] = [];
  const respawns: number[] = [];
  if (state.players.length < maxPlayers && rng.next() < 0.1) {
    const id = nextId.value++;
    joins.push({ id, name: `bot${id}` });
  }
  for (const p of state.players) {
    if (rng.next() < 0.005) {
      leaves.push(p.id);
      continue;
    }
    if (!p.snake) {
      if (rng.next() < 0.3) respawns.push(p.id);
      continue;
    }
    const presses = rng.next() < 0.3 ? rng.int(1, 4) : 0;
    for (let i = 0; i < presses; i++) turns.push({ id: p.id, dir: rng.int(0, 3) as Dir });
  }
  return { joins, leaves, turns, respawns };
}

/**
 * randomInputs as a room's connections send them (protocol 5): each turn carries its player's
 * next sequence number (rising from 1, sometimes skipping one or two, as when a turn was refused
 * or lost on the way), and players now and then drop away and come back. An away player sends
 * nothing. Uses `rng` after randomInputs does, so randomInputs' own games are unchanged.
 */
export function randomNetInputs(state: GameState, rng: Rng, nextId: { value: number }, maxPlayers = 6): TickInputs {
  const inputs = randomInputs(state, rng, nextId, maxPlayers);
  const byId = new Map(state.players.map((p) => [p.id, p]));
  const seqs = new Map<number, number>();
  const turns: { id: number; dir: Dir; seq: number }[] = [];
  for (const t of inputs.turns ?? []) {
    const p = byId.get(t.id)!;
    if (p.away) continue;
    const last = seqs.get(p.id) ?? p.seq;
    const seq = last + rng.int(1, 3);
    seqs.set(p.id, seq);
    turns.push({ ...t, seq });
  }
  const leaving = new Set(inputs.leaves);
  const away: number[] = [];
  const back: number[] = [];
  for (const p of state.players) {
    if (leaving.has(p.id)) continue;
    if (p.away) {
      if (rng.next() < 0.1) back.push(p.id);
    } else if (rng.next() < 0.01) away.push(p.id);
  }
  const respawns = (inputs.respawns ?? []).filter((id) => !byId.get(id)!.away);
  return { ...inputs, turns, respawns, away, back };
}
