// The compact wire format: every server message as a few bytes instead of JSON text, because a
// room sends one message per tick to every socket, and a steady tick (10 snakes moving) is 14
// bytes here against 115 as JSON. docs/wire-format.md is the byte-by-byte reference for bots.
// Each message has one encoding: the tick's sections come from sections.ts, and only what the
// server can produce is encodable (anything else throws RangeError, and its bytes are refused).
// Must not: allocate per item or build JSON while encoding (it runs once per room per tick), or
// trust a frame while decoding (bytes.ts checks every count against the bytes left).
// Tutorial: docs/tutorial/03-state-sync.md

import { Board, WALL_MODES } from '../board.js';
import type { Dir } from '../grid.js';
import {
  BinaryFrameError,
  Reader,
  finishFrame,
  readFood,
  readTop,
  readUints,
  startFrame,
  writeBounded,
  writeByte,
  writeFloat64,
  writeFood,
  writeInt,
  writeString,
  writeTop,
  writeUint,
  writeUints,
} from './bytes.js';
import { type Codec, jsonCodec } from './codec.js';
import { ERROR_CODES, PING_ID_MAX, SEQ_MAX } from './codes.js';
import type {
  BoardView,
  ErrorMessage,
  JoinedMessage,
  PlayerView,
  PongMessage,
  ReplayMessage,
  ServerMessage,
  SnakeView,
  SnapshotMessage,
  TickMessage,
  WelcomeMessage,
} from './messages.js';
import { SECTIONS } from './sections.js';

export { BinaryFrameError };

/** Byte 0 of every frame. Never 0x7b (`{`), so a binary frame cannot be mistaken for JSON. */
const TYPE_WELCOME = 1;
const TYPE_SNAPSHOT = 2;
const TYPE_TICK = 3;
const TYPE_JOINED = 4;
const TYPE_ERROR = 5;
const TYPE_PONG = 6;
const TYPE_REPLAY = 7;
/** A joined with its optional lostMs: a type of its own, so every frame has one encoding. */
const TYPE_JOINED_LOST = 8;

/** A snapshot player's flags byte. */
const PLAYER_ALIVE = 1;
const PLAYER_AWAY = 2;
const PLAYER_BOT = 4;

/** A tick's mask has one bit per section of sections.ts, bit i for row i. */
const ALL_SECTIONS_MASK = 2 ** SECTIONS.length - 1;

// ---- encoding ------------------------------------------------------------------------------

function writeBoard(b: BoardView): void {
  const walls = WALL_MODES.indexOf(b.walls);
  if (walls < 0) throw new RangeError(`binary codec: unknown walls ${String(b.walls)}`);
  writeUint(b.width);
  writeUint(b.height);
  writeByte(walls);
}

/**
 * A snapshot's snake: its head, then the step from each cell to the next (towards the tail) as
 * 2 bits, four to a byte. Every real body is such a chain on the board; anything else throws.
 */
function writeChain(s: SnakeView, board: Board): void {
  const body = s.body;
  const n = body.length;
  if (n === 0 || !board.contains(body[0]!)) throw new RangeError(`binary codec: snake ${s.id} has no head on the board`);
  writeUint(s.id);
  writeUint(n);
  writeUint(body[0]!);
  let packed = 0;
  for (let i = 1; i < n; i++) {
    const d = board.dirBetween(body[i - 1]!, body[i]!);
    if (d === null) throw new RangeError(`binary codec: snake ${s.id}'s body is not a chain of neighbouring cells`);
    const slot = (i - 1) & 3;
    packed |= d << (slot * 2);
    if (slot === 3 || i === n - 1) {
      writeByte(packed);
      packed = 0;
    }
  }
}

function encodeWelcome(m: WelcomeMessage): void {
  writeInt(m.protocol);
  writeString(m.room);
  writeBoard(m.board);
  writeUint(m.stones);
  writeFloat64(m.tickRate);
  writeUint(m.maxPlayers);
  writeString(m.token);
}

function encodeSnapshot(m: SnapshotMessage): void {
  writeBoard(m.board);
  writeUint(m.players.length);
  for (const p of m.players) {
    writeUint(p.id);
    writeString(p.name);
    writeUint(p.score);
    writeUint(p.best);
    writeByte((p.alive ? PLAYER_ALIVE : 0) | (p.away ? PLAYER_AWAY : 0) | (p.bot ? PLAYER_BOT : 0));
    writeBounded(p.ack, SEQ_MAX, 'ack');
  }
  writeUint(m.snakes.length);
  const board = new Board(m.board);
  for (const s of m.snakes) writeChain(s, board);
  writeFood(m.food);
  writeUints(m.stones);
  writeTop(m.top);
}

/** Each section's bit, by key. No prototype, so only the table's keys are found. */
const SECTION_BIT: Readonly<Record<string, number>> = Object.assign(
  Object.create(null) as Record<string, number>,
  Object.fromEntries(SECTIONS.map((s, i) => [s.key, i])),
);

/** The mask of present sections, then each present section in table order. */
function encodeTick(m: TickMessage): void {
  const fields = m as Readonly<Record<string, unknown>>;
  let mask = 0;
  // Over the keys the message has (a steady tick: type, tick, moves) rather than all the table's:
  // the encoder runs once per room per tick, and this keeps it as fast as spelled-out reads.
  for (const key in fields) {
    const bit = SECTION_BIT[key];
    if (bit !== undefined && fields[key] !== undefined) mask |= 1 << bit;
  }
  writeUint(mask);
  for (let i = 0; i < SECTIONS.length; i++) {
    if (mask & (1 << i)) SECTIONS[i]!.write(fields[SECTIONS[i]!.key]);
  }
}

function encodeServer(msg: ServerMessage): Uint8Array {
  startFrame();
  switch (msg.type) {
    case 'welcome':
      writeByte(TYPE_WELCOME);
      writeUint(msg.tick);
      encodeWelcome(msg);
      break;
    case 'snapshot':
      writeByte(TYPE_SNAPSHOT);
      writeUint(msg.tick);
      encodeSnapshot(msg);
      break;
    case 'tick':
      writeByte(TYPE_TICK);
      writeUint(msg.tick);
      encodeTick(msg);
      break;
    case 'joined':
      writeByte(msg.lostMs === undefined ? TYPE_JOINED : TYPE_JOINED_LOST);
      writeUint(msg.tick);
      writeUint(msg.id);
      if (msg.lostMs !== undefined) writeUint(msg.lostMs);
      break;
    case 'error': {
      const code = ERROR_CODES.indexOf(msg.code);
      if (code < 0) throw new RangeError(`binary codec: unknown error code ${String(msg.code)}`);
      writeByte(TYPE_ERROR);
      writeUint(msg.tick);
      writeByte(code);
      writeString(msg.message);
      break;
    }
    case 'pong':
      writeByte(TYPE_PONG);
      writeUint(msg.tick);
      writeBounded(msg.id, PING_ID_MAX, 'pong id');
      break;
    case 'replay':
      writeByte(TYPE_REPLAY);
      writeUint(msg.tick);
      writeString(msg.id);
      break;
    default: {
      const unknown: never = msg;
      throw new RangeError(`binary codec: unknown message type ${String((unknown as { type?: unknown }).type)}`);
    }
  }
  return finishFrame();
}

// ---- decoding ------------------------------------------------------------------------------

function readChain(r: Reader, board: Board): SnakeView {
  const id = r.uint('snake id');
  const n = r.positive('snake length');
  if (1 + Math.ceil((n - 1) / 4) > r.left()) r.fail(`snake ${id} has ${n} cells, more than the frame holds`);
  let cell = r.uint('snake head');
  if (!board.contains(cell)) r.fail(`snake ${id}: head ${cell} is off the board`);
  const body = [cell];
  let packed = 0;
  for (let i = 1; i < n; i++) {
    const slot = (i - 1) & 3;
    if (slot === 0) packed = r.byte('snake steps');
    cell = board.neighbour(cell, ((packed >> (slot * 2)) & 3) as Dir);
    if (cell < 0) r.fail(`snake ${id}: body steps off the board`);
    body.push(cell);
  }
  // Unused slots of the last byte are zero, so a body has exactly one encoding.
  if (n > 1 && packed >> ((((n - 2) & 3) + 1) * 2) !== 0) r.fail(`snake ${id}: padding bits set`);
  return { id, body };
}

function readBoard(r: Reader): BoardView {
  const width = r.positive('width');
  const height = r.positive('height');
  const code = r.byte('walls');
  const walls = WALL_MODES[code];
  if (walls === undefined) r.fail(`unknown walls ${code}`);
  if (width * height > Number.MAX_SAFE_INTEGER) r.fail(`board ${width}x${height} is too large`);
  return { width, height, walls };
}

function decodeWelcome(r: Reader, tick: number): WelcomeMessage {
  const protocol = r.int('protocol');
  const room = r.string('room');
  const board = readBoard(r);
  const stones = r.uint('stones');
  const tickRate = r.float64('tickRate');
  if (!(tickRate > 0 && Number.isFinite(tickRate))) r.fail(`tickRate ${tickRate} is not a positive number`);
  const maxPlayers = r.positive('maxPlayers');
  const token = r.string('token');
  return { type: 'welcome', tick, protocol, room, board, stones, tickRate, maxPlayers, token };
}

function decodeSnapshot(r: Reader, tick: number): SnapshotMessage {
  const board = readBoard(r);
  const players: PlayerView[] = [];
  for (let n = r.count('players', 6); n > 0; n--) {
    const id = r.uint('player id');
    const name = r.string('player name');
    const score = r.uint('score');
    const best = r.uint('best');
    const flags = r.byte('player flags');
    if (flags > (PLAYER_ALIVE | PLAYER_AWAY | PLAYER_BOT)) r.fail(`unknown player flags ${flags}`);
    const ack = r.bounded('ack', SEQ_MAX);
    const player: PlayerView = { id, name, score, best, alive: (flags & PLAYER_ALIVE) !== 0, away: (flags & PLAYER_AWAY) !== 0, ack };
    if (flags & PLAYER_BOT) player.bot = true;
    players.push(player);
  }
  const snakes: SnakeView[] = [];
  const cells = new Board(board);
  for (let n = r.count('snakes', 3); n > 0; n--) snakes.push(readChain(r, cells));
  const food = readFood(r);
  const stones = readUints(r, 'stones');
  const top = readTop(r);
  return { type: 'snapshot', tick, board, players, snakes, food, stones, top };
}

function decodeTick(r: Reader, tick: number): TickMessage {
  const mask = r.uint('section mask');
  if (mask > ALL_SECTIONS_MASK) r.fail(`unknown tick sections in mask ${mask}`);
  // Fields are added in table order, as tickMessage() adds them, so a decoded tick even
  // stringifies like the original.
  const msg: Record<string, unknown> = { type: 'tick', tick };
  for (let i = 0; i < SECTIONS.length; i++) if (mask & (1 << i)) msg[SECTIONS[i]!.key] = SECTIONS[i]!.read(r);
  return msg as TickMessage;
}

function decodeServer(data: Uint8Array | string): ServerMessage {
  if (typeof data === 'string') throw new BinaryFrameError('got a text frame; the binary codec reads bytes');
  // Typed explicitly so that r.fail(), which never returns, narrows types after it.
  const r: Reader = new Reader(data);
  const type = r.byte('message type');
  if (type < TYPE_WELCOME || type > TYPE_JOINED_LOST) throw new BinaryFrameError(`unknown message type ${type}`);
  const tick = r.uint('tick');
  let msg: ServerMessage;
  switch (type) {
    case TYPE_WELCOME:
      msg = decodeWelcome(r, tick);
      break;
    case TYPE_SNAPSHOT:
      msg = decodeSnapshot(r, tick);
      break;
    case TYPE_TICK:
      msg = decodeTick(r, tick);
      break;
    case TYPE_JOINED:
      msg = { type: 'joined', tick, id: r.uint('id') } satisfies JoinedMessage;
      break;
    case TYPE_JOINED_LOST:
      msg = { type: 'joined', tick, id: r.uint('id'), lostMs: r.uint('lostMs') } satisfies JoinedMessage;
      break;
    case TYPE_ERROR: {
      const index = r.byte('error code');
      const code = ERROR_CODES[index];
      if (code === undefined) r.fail(`unknown error code ${index}`);
      msg = { type: 'error', tick, code, message: r.string('error message') } satisfies ErrorMessage;
      break;
    }
    case TYPE_PONG:
      msg = { type: 'pong', tick, id: r.bounded('pong id', PING_ID_MAX) } satisfies PongMessage;
      break;
    case TYPE_REPLAY:
      msg = { type: 'replay', tick, id: r.string('replay id') } satisfies ReplayMessage;
      break;
    default:
      throw new BinaryFrameError(`unknown message type ${type}`);
  }
  r.end();
  return msg;
}

/**
 * Server messages as compact bytes (binary WebSocket frames). Client messages stay JSON text:
 * they are a few bytes, a few per second at most, and readable text keeps writing a bot easy;
 * they also go through the same parse-and-validate door (validate.ts) either way.
 */
export const binaryCodec: Codec = {
  name: 'binary',
  encodeServer,
  decodeServer,
  encodeClient: jsonCodec.encodeClient,
  decodeClient: jsonCodec.decodeClient,
};
