// Every message snakepit sends or accepts, defined once as a schema; the TypeScript types are
// derived from the schemas, so the validator and the compiler can never disagree.
// Messages are discriminated unions on `type`. Every server message carries `tick`. The tick
// message's fields come from the section table (sections.ts).
// The encodings (JSON, binary) live behind codec.ts; docs/protocol.md shows each with an example.
// Tutorial: docs/tutorial/03-state-sync.md

import { type Static, type TOptional, Type } from '@sinclair/typebox';
import { WALL_MODES } from '../board.js';
import { FOOD_MAX, FOOD_MIN } from '../constants.js';
import { DIR_NAMES } from '../grid.js';
import { ERROR_CODES, type ErrorCode, PING_ID_MAX, REPLAY_ID_PATTERN, SEQ_MAX } from './codes.js';
import { TICK_SECTIONS } from './sections.js';

const Id = Type.Integer({ minimum: 0 });
const Cell = Type.Integer({ minimum: 0 });
const Tick = Type.Integer({ minimum: 0 });
/** The last turn seq whose effect a state holds (rules/turns.ts: acknowledged); 0 before any. */
const Ack = Type.Integer({ minimum: 0, maximum: SEQ_MAX });

// ---- client -> server ---------------------------------------------------------------------

/** Take a snake in the room. The name is trimmed; 1..NAME_MAX characters must remain. */
export const JoinMessage = Type.Object(
  // The schema only bounds the raw string; the room checks the name itself (names.ts), so
  // every unusable name gets the same 'bad-name' answer.
  { type: Type.Literal('join'), name: Type.String({ maxLength: 256 }) },
  { additionalProperties: false },
);

/**
 * Queue a turn. Turns are applied at most one per tick, judged against the last move. `seq`
 * numbers the player's turns, rising, so the ticks can say which ones they include (`acks`).
 * (A `description` is what validate.ts tells a client that gets the field wrong.)
 */
export const TurnMessage = Type.Object(
  {
    type: Type.Literal('turn'),
    dir: Type.Union(DIR_NAMES.map((d) => Type.Literal(d))),
    seq: Type.Integer({ minimum: 1, maximum: SEQ_MAX, description: `an integer from 1 to ${SEQ_MAX}, above your previous turn's seq` }),
  },
  { additionalProperties: false },
);

/** Play again after dying (score resets, best score is kept). */
export const RespawnMessage = Type.Object({ type: Type.Literal('respawn') }, { additionalProperties: false });

/** Ask for a full snapshot, e.g. after noticing a gap in the tick numbers. */
export const ResyncMessage = Type.Object({ type: Type.Literal('resync') }, { additionalProperties: false });

/** Leave the game on purpose: the snake goes at the next tick and the socket stays, watching. */
export const LeaveMessage = Type.Object({ type: Type.Literal('leave') }, { additionalProperties: false });

/** Ask for a `pong` with the same id, to measure the round trip. */
export const PingMessage = Type.Object(
  {
    type: Type.Literal('ping'),
    id: Type.Integer({ minimum: 0, maximum: PING_ID_MAX, description: `an integer from 0 to ${PING_ID_MAX}` }),
  },
  { additionalProperties: false },
);

export const ClientMessage = Type.Union([JoinMessage, TurnMessage, RespawnMessage, ResyncMessage, LeaveMessage, PingMessage]);
export type ClientMessage = Static<typeof ClientMessage>;
export type JoinMessage = Static<typeof JoinMessage>;
export type TurnMessage = Static<typeof TurnMessage>;
export type LeaveMessage = Static<typeof LeaveMessage>;
export type PingMessage = Static<typeof PingMessage>;

// ---- server -> client ---------------------------------------------------------------------

const Score = Type.Integer({ minimum: 0 });

export const PlayerView = Type.Object({
  id: Id,
  name: Type.String(),
  score: Score,
  best: Score,
  alive: Type.Boolean(),
  /** The connection dropped and the player may come back: the snake holds still meanwhile. */
  away: Type.Boolean(),
  /** Every turn of this player up to this seq is in this state; later ones are not (yet). */
  ack: Ack,
  /** Played by the server to keep the room lively, not a person; left out for people. */
  bot: Type.Optional(Type.Boolean()),
});
export type PlayerView = Static<typeof PlayerView>;

/**
 * A snake's cells, head first; its facing is the step from body[1] to body[0]. Every real body is
 * a chain of neighbouring cells on the board (across the edge where the walls wrap).
 */
export const SnakeView = Type.Object({ id: Id, body: Type.Array(Cell, { minItems: 1 }) });
export type SnakeView = Static<typeof SnakeView>;

/** Food on a cell: [cell, value], the value a digit FOOD_MIN..FOOD_MAX. */
const FoodItem = Type.Tuple([Cell, Type.Integer({ minimum: FOOD_MIN, maximum: FOOD_MAX })]);

export const TopEntry = Type.Object({ name: Type.String(), score: Score });
export type TopEntry = Static<typeof TopEntry>;

/** The board: its size in cells and what its edge does (board.ts). */
export const BoardView = Type.Object({
  width: Type.Integer({ minimum: 1 }),
  height: Type.Integer({ minimum: 1 }),
  walls: Type.Union(WALL_MODES.map((w) => Type.Literal(w))),
});
export type BoardView = Static<typeof BoardView>;

/** First message on every connection: who the server is and how the room is set up. */
export const WelcomeMessage = Type.Object({
  type: Type.Literal('welcome'),
  tick: Tick,
  protocol: Type.Integer(),
  room: Type.String(),
  board: BoardView,
  /** Stone cells the room was created with. */
  stones: Type.Integer({ minimum: 0 }),
  tickRate: Type.Number({ exclusiveMinimum: 0 }),
  maxPlayers: Type.Integer({ minimum: 1 }),
  /**
   * Reconnect with `?resume=<token>` to take back the game this connection has (or gets by
   * joining) after the socket drops. Single use: every welcome carries a new one.
   */
  token: Type.String(),
});
export type WelcomeMessage = Static<typeof WelcomeMessage>;

/** The whole room at one tick: sent after welcome, and whenever a client must catch up. */
export const SnapshotMessage = Type.Object({
  type: Type.Literal('snapshot'),
  tick: Tick,
  /** The board, so a snapshot can be read on its own. */
  board: BoardView,
  players: Type.Array(PlayerView),
  snakes: Type.Array(SnakeView),
  /** Sorted by cell. */
  food: Type.Array(FoodItem),
  stones: Type.Array(Cell),
  top: Type.Array(TopEntry),
});
export type SnapshotMessage = Static<typeof SnapshotMessage>;

/** What the tick sections (sections.ts) build their schemas from. */
const kit = { Type, Id, Cell, Score, Ack, FoodItem, SnakeView, TopEntry };
export type SchemaKit = typeof kit;

type SectionSchemas = { [S in (typeof TICK_SECTIONS)[number] as S['key']]: TOptional<ReturnType<S['schema']>> };

/**
 * What changed in one tick: one optional field per section of sections.ts, in its order, each
 * left out when empty. Applying it to the snapshot of tick-1 gives the snapshot of tick (mirror.ts).
 */
export const TickMessage = Type.Object({
  type: Type.Literal('tick'),
  tick: Tick,
  ...(Object.fromEntries(TICK_SECTIONS.map((s) => [s.key, Type.Optional(s.schema(kit))])) as SectionSchemas),
});
export type TickMessage = Static<typeof TickMessage>;

/** Your `join` worked: this is your player id. */
export const JoinedMessage = Type.Object({
  type: Type.Literal('joined'),
  tick: Tick,
  id: Id,
  /**
   * Only on the first resume after the server crashed: the room came back from its last
   * periodic checkpoint, so up to this many ms of play before the crash are lost.
   */
  lostMs: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type JoinedMessage = Static<typeof JoinedMessage>;

export type { ErrorCode };

/** Something you sent was refused. The connection stays open unless a close follows. */
export const ErrorMessage = Type.Object({
  type: Type.Literal('error'),
  tick: Tick,
  code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
  message: Type.String(),
});
export type ErrorMessage = Static<typeof ErrorMessage>;

/** The answer to your `ping`, to you alone: its id, and the room's tick when it was read. */
export const PongMessage = Type.Object({ type: Type.Literal('pong'), tick: Tick, id: Type.Integer({ minimum: 0, maximum: PING_ID_MAX }) });
export type PongMessage = Static<typeof PongMessage>;

/**
 * To you alone, right after the tick that reported your snake's death: that life was recorded
 * and can be watched again at `/?replay=<id>` (its data: `GET /api/replays/<id>`).
 */
export const ReplayMessage = Type.Object({ type: Type.Literal('replay'), tick: Tick, id: Type.String({ pattern: REPLAY_ID_PATTERN }) });
export type ReplayMessage = Static<typeof ReplayMessage>;

export const ServerMessage = Type.Union([
  WelcomeMessage,
  SnapshotMessage,
  TickMessage,
  JoinedMessage,
  ErrorMessage,
  PongMessage,
  ReplayMessage,
]);
export type ServerMessage = Static<typeof ServerMessage>;
