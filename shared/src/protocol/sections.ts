// The tick message, one row per section: its key, its schema, how the server finds it in two
// states a step apart, how a client's mirror applies it, and how the binary codec writes and
// reads it. Everything else follows from this table: the TickMessage schema and type
// (messages.ts), tickMessage() (delta.ts), WorldMirror.applyTick (mirror.ts), the binary tick
// (binary.ts: a section's flag bit is its row's index), and the list in docs/wire-format.md (a
// test compares them). Adding a section is adding a row; a row missing a part does not compile.
// Must not: load the schema library at run time (schemas are built by messages.ts from the kit it
// passes in), so the browser, which runs the mirror and the codec, never downloads it.
// Tutorial: docs/tutorial/03-state-sync.md

import type { Static, TSchema } from '@sinclair/typebox';
import type { Board } from '../board.js';
import type { Dir } from '../grid.js';
import type { GameEvent, GameState, Player } from '../rules/state.js';
import { acknowledged } from '../rules/turns.js';
import {
  type Reader,
  readFood,
  readTop,
  readUints,
  writeBounded,
  writeByte,
  writeFood,
  writeString,
  writeTop,
  writeUint,
  writeUints,
} from './bytes.js';
import { DEATH_CAUSES, SEQ_MAX } from './codes.js';
import type { SchemaKit, TopEntry } from './messages.js';
import type { WorldMirror } from './mirror.js';

/** What a section is computed from: two states one step apart, and lookups built once per tick. */
export interface TickDiff {
  readonly prev: GameState;
  readonly next: GameState;
  /** What the step did (step()'s events). */
  readonly events: readonly GameEvent[];
  readonly board: Board;
  /** For each of `next.players`, the same player in `prev` (undefined for one who just joined). */
  readonly was: readonly (Player | undefined)[];
  /** Players whose snake was placed on this step. */
  readonly spawned: ReadonlySet<number>;
  /** The top-scores lines to send on this tick, or null for none. */
  readonly top: readonly TopEntry[] | null;
}

/**
 * One section of the tick message. `diff` returns undefined when there is nothing to send: every
 * section is left out when empty. The mirror applies present sections in table order.
 * (Methods, not function properties, so that every row fits the plain `TickSection` the loops use.)
 */
export interface TickSection<K extends string = string, S extends TSchema = TSchema> {
  readonly key: K;
  /** The field's schema, built with messages.ts's kit. */
  schema(kit: SchemaKit): S;
  diff(d: TickDiff): Static<S> | undefined;
  apply(mirror: WorldMirror, value: Static<S>): void;
  /** Writes the field into the binary frame being encoded (bytes.ts). Throws RangeError for a value outside the format. */
  write(value: Static<S>): void;
  read(r: Reader): Static<S>;
}

/** Ties a row's parts to its schema's type. */
function section<K extends string, S extends TSchema>(row: TickSection<K, S>): TickSection<K, S> {
  return row;
}

/** Largest id step a move can carry: step * 8 + 7 must stay a safe integer. */
const MAX_MOVE_STEP = Math.floor((Number.MAX_SAFE_INTEGER - 7) / 8);

/** Largest id step an `away` entry can carry: step * 2 + 1 must stay a safe integer. */
const MAX_AWAY_STEP = Math.floor((Number.MAX_SAFE_INTEGER - 1) / 2);

/** A death's byte: its cause's index in DEATH_CAUSES times 2, plus this when a `by` id follows. */
const DEATH_HAS_BY = 1;

function present<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

/** Entries keyed by player id, in rising id order (players are listed in join order, so sorting is rare). */
function byRisingId<T extends readonly [number, ...unknown[]]>(items: T[]): T[] {
  for (let i = 1; i < items.length; i++) {
    if (items[i]![0] < items[i - 1]![0]) return items.sort((a, b) => a[0] - b[0]);
  }
  return items;
}

export const TICK_SECTIONS = [
  /**
   * Live snakes that moved (all but those of players who are away): [id, dir, trim], by rising
   * id. The new head is the old head's neighbour in direction `dir` (0 up, 1 right, 2 down,
   * 3 left); then `trim` tail cells go: 1, or 0 while the snake grows (a growing snake keeps its
   * tail, so no other value exists).
   * Binary: one uint per move, (id - previous id) * 8 + dir * 2 + trim, the previous id starting
   * at -1: a steady tick is one byte per snake.
   */
  section({
    key: 'moves',
    schema: (k) =>
      k.Type.Array(
        k.Type.Tuple([
          k.Id,
          k.Type.Union([k.Type.Literal(0), k.Type.Literal(1), k.Type.Literal(2), k.Type.Literal(3)]),
          k.Type.Union([k.Type.Literal(0), k.Type.Literal(1)]),
        ]),
      ),
    diff(d) {
      const moves: [number, Dir, 0 | 1][] = [];
      let rising = true;
      const players = d.next.players;
      for (let i = 0; i < players.length; i++) {
        const p = players[i]!;
        const old = d.was[i]?.snake;
        // An away player's snake held still (rules/step.ts): it has no move.
        if (!p.snake || !old || d.spawned.has(p.id) || p.away) continue;
        const dir = d.board.dirBetween(old.body[0]!, p.snake.body[0]!);
        if (dir === null) throw new Error(`player ${p.id}'s head did not move one cell`);
        const trim = old.body.length + 1 - p.snake.body.length;
        if (trim !== 0 && trim !== 1) throw new Error(`player ${p.id}'s tail moved ${trim} cells`);
        if (moves.length > 0 && p.id < moves[moves.length - 1]![0]) rising = false;
        moves.push([p.id, dir, trim]);
      }
      // Players are listed in join order and the room hands out rising ids, so this is rare.
      if (!rising) moves.sort((a, b) => a[0] - b[0]);
      return present(moves);
    },
    apply(m, moves) {
      for (const [id, dir, trim] of moves) {
        const s = m.snakes.get(id);
        if (!s) continue;
        s.body.unshift(m.board.neighbour(s.body[0]!, dir));
        s.moved = true;
        s.trimmed = trim === 1 ? [s.body.pop()!] : [];
      }
    },
    write(moves) {
      writeUint(moves.length);
      // The hot loop of a busy server: indexed reads, no destructuring, no allocation.
      for (let i = 0, prev = -1; i < moves.length; i++) {
        const move = moves[i]!;
        const id = move[0];
        const dir = move[1];
        const trim = move[2];
        if ((dir & 3) !== dir) throw new RangeError(`binary codec: move direction ${dir} is not 0..3`);
        if ((trim & 1) !== trim) throw new RangeError(`binary codec: move trim ${trim} is not 0 or 1`);
        if (!(id > prev && id - prev <= MAX_MOVE_STEP))
          throw new RangeError(`binary codec: move id ${id} after ${prev}: ids must rise, by less than 2^50`);
        writeUint((id - prev) * 8 + dir * 2 + trim);
        prev = id;
      }
    },
    read(r) {
      const moves: [number, Dir, 0 | 1][] = [];
      for (let n = r.count('moves', 1), prev = -1; n > 0; n--) {
        const v = r.uint('move');
        const step = Math.floor(v / 8);
        if (step < 1) r.fail('move ids must rise');
        if (prev + step > Number.MAX_SAFE_INTEGER) r.fail('move id above 2^53-1');
        prev += step;
        moves.push([prev, (Math.floor(v / 2) % 4) as Dir, (v % 2) as 0 | 1]);
      }
      return moves;
    },
  }),

  /**
   * Players who arrived: they have no snake until a `spawns` entry. `bot` (left out for people)
   * marks a player the server plays. Binary: uint id, the name, then a byte: 1 for a bot, else 0.
   */
  section({
    key: 'joins',
    schema: (k) => k.Type.Array(k.Type.Object({ id: k.Id, name: k.Type.String(), bot: k.Type.Optional(k.Type.Boolean()) })),
    diff(d) {
      const joins: { id: number; name: string; bot?: boolean }[] = [];
      for (const e of d.events) {
        if (e.type === 'joined') joins.push(e.bot ? { id: e.id, name: e.name, bot: true } : { id: e.id, name: e.name });
      }
      return present(joins);
    },
    apply(m, joins) {
      for (const { id, name, bot } of joins) {
        m.players.set(id, { id, name, score: 0, best: 0, alive: false, away: false, ack: 0, ...(bot ? { bot } : {}) });
      }
    },
    write(joins) {
      writeUint(joins.length);
      for (let i = 0; i < joins.length; i++) {
        writeUint(joins[i]!.id);
        writeString(joins[i]!.name);
        writeByte(joins[i]!.bot ? 1 : 0);
      }
    },
    read(r) {
      const joins: { id: number; name: string; bot?: boolean }[] = [];
      for (let n = r.count('joins', 3); n > 0; n--) {
        const id = r.uint('join id');
        const name = r.string('join name');
        const bot = r.byte('join bot');
        if (bot > 1) r.fail(`join bot byte ${bot} is not 0 or 1`);
        joins.push(bot === 1 ? { id, name, bot: true } : { id, name });
      }
      return joins;
    },
  }),

  /** Players who left the room: their snakes vanish, leaving no food. */
  section({
    key: 'leaves',
    schema: (k) => k.Type.Array(k.Id),
    diff(d) {
      const leaves: number[] = [];
      for (const e of d.events) if (e.type === 'left') leaves.push(e.id);
      return present(leaves);
    },
    apply(m, leaves) {
      for (const id of leaves) {
        m.players.delete(id);
        m.snakes.delete(id);
      }
    },
    write: writeUints,
    read: (r) => readUints(r, 'leaves'),
  }),

  /** Snakes that died, how (DEATH_CAUSES), and the other snake for 'snake' and 'head-on'. */
  section({
    key: 'deaths',
    schema: (k) =>
      k.Type.Array(
        k.Type.Object({
          id: k.Id,
          cause: k.Type.Union(DEATH_CAUSES.map((c) => k.Type.Literal(c))),
          by: k.Type.Union([k.Id, k.Type.Null()]),
        }),
      ),
    diff(d) {
      const deaths: { id: number; cause: (typeof DEATH_CAUSES)[number]; by: number | null }[] = [];
      for (const e of d.events) if (e.type === 'died') deaths.push({ id: e.id, cause: e.cause, by: e.by });
      return present(deaths);
    },
    apply(m, deaths) {
      for (const { id, cause } of deaths) {
        const snake = m.snakes.get(id);
        m.deaths.push({ id, cause, body: snake ? snake.body : [] });
        m.snakes.delete(id);
        const p = m.players.get(id);
        if (p) p.alive = false;
      }
    },
    write(deaths) {
      writeUint(deaths.length);
      for (let i = 0; i < deaths.length; i++) {
        const death = deaths[i]!;
        const cause = DEATH_CAUSES.indexOf(death.cause);
        if (cause < 0) throw new RangeError(`binary codec: unknown death cause ${String(death.cause)}`);
        writeUint(death.id);
        writeByte(cause * 2 + (death.by === null ? 0 : DEATH_HAS_BY));
        if (death.by !== null) writeUint(death.by);
      }
    },
    read(r: Reader) {
      const deaths: { id: number; cause: (typeof DEATH_CAUSES)[number]; by: number | null }[] = [];
      for (let n = r.count('deaths', 2); n > 0; n--) {
        const id = r.uint('death id');
        const b = r.byte('death cause');
        const cause = DEATH_CAUSES[b >> 1];
        if (cause === undefined) r.fail(`bad death cause byte ${b}`);
        deaths.push({ id, cause, by: b & DEATH_HAS_BY ? r.uint('death by') : null });
      }
      return deaths;
    },
  }),

  /**
   * New snakes, whole: first spawns and respawns. Binary: each body is its length then its cells
   * as uints. A tick does not carry the board, so it cannot use the snapshot's 2-bit steps; a new
   * snake is START_LENGTH cells, so this costs a few bytes once per life.
   */
  section({
    key: 'spawns',
    schema: (k) => k.Type.Array(k.SnakeView),
    diff(d) {
      const spawns: { id: number; body: number[] }[] = [];
      for (const p of d.next.players) if (p.snake && d.spawned.has(p.id)) spawns.push({ id: p.id, body: [...p.snake.body] });
      return present(spawns);
    },
    apply(m, spawns) {
      for (const { id, body } of spawns) {
        m.snakes.set(id, { body: [...body], moved: false, trimmed: [] });
        const p = m.players.get(id);
        if (p) p.alive = true;
      }
    },
    write(spawns) {
      writeUint(spawns.length);
      for (let i = 0; i < spawns.length; i++) {
        const body = spawns[i]!.body;
        if (body.length === 0) throw new RangeError(`binary codec: snake ${spawns[i]!.id} has no cells`);
        writeUint(spawns[i]!.id);
        writeUints(body);
      }
    },
    read(r) {
      const spawns: { id: number; body: number[] }[] = [];
      for (let n = r.count('spawns', 3); n > 0; n--) {
        const id = r.uint('spawn id');
        const body = readUints(r, 'spawn cells');
        if (body.length === 0) r.fail(`spawned snake ${id} has no cells`);
        spawns.push({ id, body });
      }
      return spawns;
    },
  }),

  /** Score changes: [id, score, best] for every player whose score or best changed. */
  section({
    key: 'scores',
    schema: (k) => k.Type.Array(k.Type.Tuple([k.Id, k.Score, k.Score])),
    diff(d) {
      const scores: [number, number, number][] = [];
      const players = d.next.players;
      for (let i = 0; i < players.length; i++) {
        const p = players[i]!;
        const old = d.was[i];
        if (p.score !== (old ? old.score : 0) || p.best !== (old ? old.best : 0)) scores.push([p.id, p.score, p.best]);
      }
      return present(scores);
    },
    apply(m, scores) {
      for (const [id, score, best] of scores) {
        const p = m.players.get(id);
        if (p) {
          p.score = score;
          p.best = best;
        }
      }
    },
    write(scores) {
      writeUint(scores.length);
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!;
        writeUint(s[0]);
        writeUint(s[1]);
        writeUint(s[2]);
      }
    },
    read(r) {
      const scores: [number, number, number][] = [];
      for (let n = r.count('scores', 3); n > 0; n--) scores.push([r.uint('score id'), r.uint('score'), r.uint('best')]);
      return scores;
    },
  }),

  /** Food that appeared or changed value: [cell, value]. (bytes.ts: writeFood.) */
  section({
    key: 'food',
    schema: (k) => k.Type.Array(k.FoodItem),
    diff(d) {
      // step() hands on the same Map when no food changed: then there is nothing to compare.
      if (d.next.food === d.prev.food) return undefined;
      const food: [number, number][] = [];
      const was = d.prev.food;
      // forEach, not for-of: no [cell, value] pair is allocated per food item on every tick.
      d.next.food.forEach((value, cell) => {
        if (was.get(cell) !== value) food.push([cell, value]);
      });
      return present(food);
    },
    apply(m, food) {
      for (const [cell, value] of food) m.food.set(cell, value);
    },
    write: writeFood,
    read: readFood,
  }),

  /** Cells whose food is gone (eaten). Never also in `food`, so the two apply in either order. */
  section({
    key: 'eaten',
    schema: (k) => k.Type.Array(k.Cell),
    diff(d) {
      if (d.next.food === d.prev.food) return undefined;
      const eaten: number[] = [];
      for (const cell of d.prev.food.keys()) if (!d.next.food.has(cell)) eaten.push(cell);
      return present(eaten);
    },
    apply(m, eaten) {
      for (const cell of eaten) m.food.delete(cell);
    },
    write: writeUints,
    read: (r) => readUints(r, 'eaten'),
  }),

  /**
   * Lines of the room's top-scores table that are new or higher since the table was last sent
   * (at most about once a second). Record each into your copy (TopScores.record): the lines they
   * push off the bottom fall away by themselves.
   */
  section({
    key: 'top',
    schema: (k) => k.Type.Array(k.TopEntry),
    diff: (d) => (d.top === null ? undefined : [...d.top]),
    apply(m, top) {
      for (const line of top) m.recordTop(line);
    },
    write: writeTop,
    read: readTop,
  }),

  /**
   * Acknowledgements: [id, ack] for every player whose acknowledged() (rules/turns.ts) changed,
   * by rising id: each of their turns up to seq `ack` is in this tick's state, the later ones are
   * not. A joiner starts at 0 and needs no entry until that changes. A tick where nobody turned
   * has no entry, so steady ticks stay as small as they were.
   * Binary: per entry, the id's step from the previous id (from -1) then the seq, a uint each:
   * a turn costs about 2 bytes in the tick that acknowledges it.
   */
  section({
    key: 'acks',
    schema: (k) => k.Type.Array(k.Type.Tuple([k.Id, k.Ack])),
    diff(d) {
      const acks: [number, number][] = [];
      const players = d.next.players;
      for (let i = 0; i < players.length; i++) {
        const p = players[i]!;
        const old = d.was[i];
        const ack = acknowledged(p);
        if (ack !== (old ? acknowledged(old) : 0)) acks.push([p.id, ack]);
      }
      return present(byRisingId(acks));
    },
    apply(m, acks) {
      for (const [id, ack] of acks) {
        const p = m.players.get(id);
        if (p) p.ack = ack;
      }
    },
    write(acks) {
      writeUint(acks.length);
      for (let i = 0, prev = -1; i < acks.length; i++) {
        const id = acks[i]![0];
        const ack = acks[i]![1];
        if (!(id > prev)) throw new RangeError(`binary codec: ack id ${id} after ${prev}: ids must rise`);
        writeUint(id - prev);
        writeBounded(ack, SEQ_MAX, 'ack');
        prev = id;
      }
    },
    read(r) {
      const acks: [number, number][] = [];
      for (let n = r.count('acks', 2), prev = -1; n > 0; n--) {
        const step = r.uint('ack id step');
        if (step < 1) r.fail('ack ids must rise');
        if (prev + step > Number.MAX_SAFE_INTEGER) r.fail('ack id above 2^53-1');
        prev += step;
        acks.push([prev, r.bounded('ack', SEQ_MAX)]);
      }
      return acks;
    },
  }),

  /**
   * Players whose connection dropped (1: away, their snake holds still, an obstacle) or who came
   * back (0), as [id, 0 | 1] by rising id.
   * Binary: one uint per entry, (id - previous id) * 2 + flag, the previous id starting at -1.
   */
  section({
    key: 'away',
    schema: (k) => k.Type.Array(k.Type.Tuple([k.Id, k.Type.Union([k.Type.Literal(0), k.Type.Literal(1)])])),
    diff(d) {
      const away: [number, 0 | 1][] = [];
      const players = d.next.players;
      for (let i = 0; i < players.length; i++) {
        const p = players[i]!;
        if (p.away !== (d.was[i]?.away ?? false)) away.push([p.id, p.away ? 1 : 0]);
      }
      return present(byRisingId(away));
    },
    apply(m, away) {
      for (const [id, flag] of away) {
        const p = m.players.get(id);
        if (p) p.away = flag === 1;
      }
    },
    write(away) {
      writeUint(away.length);
      for (let i = 0, prev = -1; i < away.length; i++) {
        const id = away[i]![0];
        const flag = away[i]![1];
        if ((flag & 1) !== flag) throw new RangeError(`binary codec: away flag ${flag} is not 0 or 1`);
        if (!(id > prev && id - prev <= MAX_AWAY_STEP))
          throw new RangeError(`binary codec: away id ${id} after ${prev}: ids must rise, by less than 2^52`);
        writeUint((id - prev) * 2 + flag);
        prev = id;
      }
    },
    read(r) {
      const away: [number, 0 | 1][] = [];
      for (let n = r.count('away', 1), prev = -1; n > 0; n--) {
        const v = r.uint('away');
        const step = Math.floor(v / 2);
        if (step < 1) r.fail('away ids must rise');
        if (prev + step > Number.MAX_SAFE_INTEGER) r.fail('away id above 2^53-1');
        prev += step;
        away.push([prev, (v % 2) as 0 | 1]);
      }
      return away;
    },
  }),
] as const;

export type TickSectionKey = (typeof TICK_SECTIONS)[number]['key'];

/** The table for loops that treat every section alike (their values are then `unknown`). */
export const SECTIONS: readonly TickSection[] = TICK_SECTIONS;

/** The section keys in bit order. */
export const TICK_SECTION_KEYS: readonly TickSectionKey[] = TICK_SECTIONS.map((s) => s.key);
