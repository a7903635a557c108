// A room as it is saved across a restart: its GameState (plain data, with food as [cell, value]
// pairs because JSON has no Map), its tick rate, the next player id, and, per player, the
// SHA-256 of the resume token and the last turn seq. Decoding checks the shape with a schema and
// the rules' invariants, so a damaged row is refused (and the room dropped), never run.
// Must not: hold sockets, timers or anything that is not plain data.
// Tutorial: docs/tutorial/06-resume.md

import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type Dir, type GameState, checkInvariants, WALL_MODES } from '@snakepit/shared';

/** Bumped when the saved form changes; an older form is dropped (rooms are short-lived). */
export const CHECKPOINT_VERSION = 1;

/** A player a restored room can give back: the token is stored hashed (see rooms/room.ts). */
export interface CheckpointPlayer {
  readonly id: number;
  /** SHA-256 of the resume token, base64url. */
  readonly tokenHash: string;
  readonly lastSeq: number;
}

export interface RoomCheckpoint {
  readonly room: string;
  readonly tickRate: number;
  readonly state: GameState;
  readonly nextPlayerId: number;
  readonly players: readonly CheckpointPlayer[];
  /**
   * Saved at a clean stop, so nothing after it was played. Left out of the periodic ones: a
   * room restored from one of those lost whatever was played after it (a crash).
   */
  readonly final?: boolean;
}

const Whole = Type.Integer({ minimum: 0 });
const DirSchema = Type.Integer({ minimum: 0, maximum: 3 });
const Saved = Type.Object({
  version: Type.Literal(CHECKPOINT_VERSION),
  room: Type.String(),
  tickRate: Type.Number({ exclusiveMinimum: 0 }),
  nextPlayerId: Type.Integer({ minimum: 1 }),
  players: Type.Array(Type.Object({ id: Whole, tokenHash: Type.String(), lastSeq: Whole })),
  final: Type.Optional(Type.Boolean()),
  state: Type.Object({
    config: Type.Object({
      width: Type.Integer({ minimum: 1 }),
      height: Type.Integer({ minimum: 1 }),
      walls: Type.Union(WALL_MODES.map((w) => Type.Literal(w))),
      maxPlayers: Whole,
      stones: Whole,
      foodBase: Whole,
      foodPerSnake: Whole,
    }),
    tick: Whole,
    rng: Type.Integer(),
    players: Type.Array(
      Type.Object({
        id: Whole,
        name: Type.String(),
        score: Whole,
        best: Whole,
        snake: Type.Union([Type.Object({ body: Type.Array(Whole, { minItems: 1 }), dir: DirSchema, grow: Whole }), Type.Null()]),
        turns: Type.Array(Type.Object({ dir: DirSchema, seq: Whole })),
        seq: Whole,
        away: Type.Boolean(),
      }),
    ),
    food: Type.Array(Type.Tuple([Whole, Whole])),
    stones: Type.Array(Whole),
  }),
});
type Saved = Static<typeof Saved>;

export function encodeCheckpoint(c: RoomCheckpoint): string {
  const saved: Saved = {
    version: CHECKPOINT_VERSION,
    room: c.room,
    tickRate: c.tickRate,
    nextPlayerId: c.nextPlayerId,
    players: [...c.players],
    ...(c.final ? { final: true } : {}),
    state: {
      ...c.state,
      config: { ...c.state.config },
      players: c.state.players as Saved['state']['players'],
      food: [...c.state.food],
      stones: [...c.state.stones],
    },
  };
  return JSON.stringify(saved);
}

/** The checkpoint in `text`; throws an Error saying what is wrong with it. */
export function decodeCheckpoint(text: string): RoomCheckpoint {
  const data: unknown = JSON.parse(text);
  if (!Value.Check(Saved, data)) {
    const first = Value.Errors(Saved, data).First();
    throw new Error(`not a checkpoint: ${first ? `${first.path} ${first.message}` : 'wrong shape'}`);
  }
  const { config, ...rest } = data.state;
  const state: GameState = {
    ...rest,
    config: Object.freeze({ ...config }),
    players: rest.players.map((p) => ({
      ...p,
      snake: p.snake && { ...p.snake, dir: p.snake.dir as Dir },
      turns: p.turns.map((t) => ({ dir: t.dir as Dir, seq: t.seq })),
    })),
    food: new Map(rest.food),
  };
  const problems = checkInvariants(state);
  if (problems.length > 0) throw new Error(`checkpoint breaks the rules: ${problems.slice(0, 3).join('; ')}`);
  const c = { room: data.room, tickRate: data.tickRate, nextPlayerId: data.nextPlayerId, players: data.players, state };
  return data.final ? { ...c, final: true } : c;
}
