// The compact wire format: every server message as a few bytes instead of JSON text, because a
// room sends one message per tick to every socket, and a steady tick (10 snakes moving) is 14
// bytes here against 115 as JSON. docs/wire-format.md is the byte-by-byte reference for bots.
// Must not: allocate per item or build JSON while encoding (it runs once per room per tick), or
// trust a frame while decoding (every count is checked against the bytes left before use).
// Tutorial: docs/tutorial/02-protocol.md

import { Board, WALL_MODES } from '../board.js';
import type { Dir } from '../grid.js';
import { type Codec, jsonCodec } from './codec.js';
import { DEATH_CAUSES, ERROR_CODES } from './codes.js';
import {
  type BoardView,
  type ErrorMessage,
  type JoinedMessage,
  type PlayerView,
  type ServerMessage,
  type SnakeView,
  type SnapshotMessage,
  type TickMessage,
  type TopEntry,
  type WelcomeMessage,
} from './messages.js';

// shared/ has no DOM or Node typings; TextDecoder exists in both, so declare just what we use.
declare const TextDecoder: new (
  label?: string,
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => { decode(input: Uint8Array): string };

/** Byte 0 of every frame. Never 0x7b (`{`), so a binary frame cannot be mistaken for JSON. */
const TYPE_WELCOME = 1;
const TYPE_SNAPSHOT = 2;
const TYPE_TICK = 3;
const TYPE_JOINED = 4;
const TYPE_ERROR = 5;

/**
 * Bits of a tick message's section mask, one per optional field, in the schema's field order;
 * the sections follow in the same order. Sent as a varint: one byte unless `eaten` or `top`.
 */
const TICK_SECTIONS = ['moves', 'joins', 'leaves', 'deaths', 'spawns', 'scores', 'food', 'eaten', 'top'] as const;
const ALL_SECTIONS_MASK = (1 << TICK_SECTIONS.length) - 1;

/** Largest id step a compact move can carry: step * 8 + 7 must stay a safe integer. */
const MAX_COMPACT_STEP = Math.floor((Number.MAX_SAFE_INTEGER - 7) / 8);

/** A move's second byte: dir in bits 0-1, trim in bits 2-7; this trim value means "varint follows". */
const TRIM_ESCAPE = 63;

/** Death causes as 3-bit codes (bits 0-2 of a death's byte); bit 3 says a `by` id follows. */
const CAUSES = DEATH_CAUSES;
type Cause = (typeof CAUSES)[number];
const CAUSE_CODE: Readonly<Record<Cause, number>> = { wall: 0, stone: 1, self: 2, snake: 3, 'head-on': 4 };
const DEATH_HAS_BY = 0b1000;

/** A snake's length varint is `cells * 2 + form`: raw cell varints, or head + packed directions. */
const FORM_RAW = 0;
const FORM_CHAIN = 1;

/** 53 bits in 7-bit groups: no safe integer needs more than this many varint bytes. */
const MAX_VARINT_BYTES = 8;
/** Starting size of the encoder's scratch buffer, in bytes; it doubles when a message needs more. */
const INITIAL_SCRATCH_BYTES = 4096;

/** A frame that is truncated, malformed or not in this format. */
export class BinaryFrameError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`binary frame: ${message}`, options);
    this.name = 'BinaryFrameError';
  }
}

// ---- encoding ------------------------------------------------------------------------------
// One module-level buffer, reused by every encode (encoding is synchronous, so never shared),
// written at `at` and copied out at the end: the only allocation per message is the result.

let out = new Uint8Array(INITIAL_SCRATCH_BYTES);
let at = 0;
const f64Bytes = new Uint8Array(8);
const f64View = new DataView(f64Bytes.buffer);

function reserve(bytes: number): void {
  if (at + bytes <= out.length) return;
  let size = out.length * 2;
  while (size < at + bytes) size *= 2;
  const grown = new Uint8Array(size);
  grown.set(out.subarray(0, at));
  out = grown;
}

function writeByte(b: number): void {
  reserve(1);
  out[at++] = b;
}

/** Unsigned LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last. */
function writeUint(v: number): void {
  reserve(MAX_VARINT_BYTES);
  if (v >>> 0 === v) {
    // Fast path: fits 32 bits, so shifts are exact.
    while (v >= 0x80) {
      out[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[at++] = v;
    return;
  }
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`binary codec: ${v} is not a non-negative safe integer`);
  // Above 32 bits: division and remainder are exact on safe integers, shifts are not.
  while (v >= 0x80) {
    out[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  out[at++] = v;
}

/**
 * Signed integers as zigzag varints (protobuf's sint64): sign in bit 0, so small negatives stay
 * small. Written as a first byte plus a uint, never as the zigzag value itself, which would need
 * 54 bits for the largest safe integers and lose precision as a JS number.
 */
function writeInt(v: number): void {
  if (!Number.isSafeInteger(v)) throw new RangeError(`binary codec: ${v} is not a safe integer`);
  const sign = v < 0 ? 1 : 0;
  const magnitude = sign ? -v - 1 : v;
  const low = magnitude % 64;
  const rest = Math.floor(magnitude / 64);
  writeByte((rest > 0 ? 0x80 : 0) | (low << 1) | sign);
  if (rest > 0) writeUint(rest);
}

function writeFloat64(v: number): void {
  f64View.setFloat64(0, v, true);
  reserve(8);
  out.set(f64Bytes, at);
  at += 8;
}

/**
 * A string as its UTF-8 byte length then the bytes, encoded by hand straight into the buffer
 * (no TextEncoder copy). A lone surrogate, which UTF-8 cannot carry, becomes U+FFFD exactly as
 * TextEncoder would do: a player's odd name must never make a room's tick throw.
 */
function writeString(s: string): void {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  writeUint(bytes);
  reserve(bytes);
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
    } else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out[at++] = 0xf0 | (cp >> 18);
      out[at++] = 0x80 | ((cp >> 12) & 0x3f);
      out[at++] = 0x80 | ((cp >> 6) & 0x3f);
      out[at++] = 0x80 | (cp & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function writeTop(top: readonly TopEntry[]): void {
  writeUint(top.length);
  for (const t of top) {
    writeString(t.name);
    writeUint(t.score);
  }
}

/**
 * Food, in two forms told apart by bit 0 of the count. Compact (all real food: values 1..15) is
 * each cell as the signed difference from the cell before (a dead snake's body turns into food
 * cell by cell, so neighbours differ by 1 or a row: one byte), then the values packed two to a
 * byte. General (any value the schema allows) is each cell and value in full.
 */
function writeFood(food: readonly (readonly [number, number])[]): void {
  let compact = true;
  for (const item of food) if (!(item[1] >= 1 && item[1] <= 15 && Number.isInteger(item[1]))) compact = false;
  writeUint(food.length * 2 + (compact ? 1 : 0));
  if (!compact) {
    for (const [cell, value] of food) {
      writeUint(cell);
      writeInt(value);
    }
    return;
  }
  let prev = 0;
  for (const item of food) {
    if (!Number.isSafeInteger(item[0]) || item[0] < 0) throw new RangeError(`binary codec: ${item[0]} is not a cell`);
    writeInt(item[0] - prev);
    prev = item[0];
  }
  for (let i = 0; i < food.length; i += 2) writeByte(food[i]![1] | ((food[i + 1]?.[1] ?? 0) << 4));
}

function writeCells(cells: readonly number[]): void {
  writeUint(cells.length);
  for (const c of cells) writeUint(c);
}

function writeBoard(b: BoardView): void {
  writeUint(b.width);
  writeUint(b.height);
  writeByte(WALL_MODES.indexOf(b.walls));
}

/**
 * A snake. With the board size known (snapshots), a body that is a chain of neighbouring cells on
 * the board (every real snake) is sent as its head plus 2 bits per step towards the tail. Any
 * other body, and every body in a tick (which has no board size), is sent as plain cells.
 */
function writeSnake(s: SnakeView, board: Board | null): void {
  writeUint(s.id);
  const body = s.body;
  const n = body.length;
  if (board !== null && n > 0 && board.contains(body[0]!)) {
    // Write the chain form optimistically; on the first cell that is not a step, rewind.
    const start = at;
    writeUint(n * 2 + FORM_CHAIN);
    writeUint(body[0]!);
    reserve((n + 2) >> 2);
    let packed = 0;
    let i = 1;
    for (; i < n; i++) {
      const d = board.dirBetween(body[i - 1]!, body[i]!);
      if (d === null) break;
      const slot = (i - 1) & 3;
      packed |= d << (slot * 2);
      if (slot === 3 || i === n - 1) {
        out[at++] = packed;
        packed = 0;
      }
    }
    if (i === n) return;
    at = start;
  }
  writeUint(n * 2 + FORM_RAW);
  for (const c of body) writeUint(c);
}

function encodeWelcome(m: WelcomeMessage): void {
  writeInt(m.protocol);
  writeString(m.room);
  writeBoard(m.board);
  writeUint(m.stones);
  writeFloat64(m.tickRate);
  writeUint(m.maxPlayers);
}

function encodeSnapshot(m: SnapshotMessage): void {
  writeBoard(m.board);
  writeUint(m.players.length);
  for (const p of m.players) {
    writeUint(p.id);
    writeString(p.name);
    writeUint(p.score);
    writeUint(p.best);
    writeByte(p.alive ? 1 : 0);
  }
  writeUint(m.snakes.length);
  const board = new Board(m.board);
  for (const s of m.snakes) writeSnake(s, board);
  writeFood(m.food);
  writeCells(m.stones);
  writeTop(m.top);
}

function encodeTick(m: TickMessage): void {
  // Spelled out rather than looped over TICK_SECTIONS: named property reads stay fast.
  const mask =
    (m.moves !== undefined ? 1 : 0) |
    (m.joins !== undefined ? 2 : 0) |
    (m.leaves !== undefined ? 4 : 0) |
    (m.deaths !== undefined ? 8 : 0) |
    (m.spawns !== undefined ? 16 : 0) |
    (m.scores !== undefined ? 32 : 0) |
    (m.food !== undefined ? 64 : 0) |
    (m.eaten !== undefined ? 128 : 0) |
    (m.top !== undefined ? 256 : 0);
  writeUint(mask);
  if (m.moves) {
    const moves = m.moves;
    // Two forms, told apart by bit 0 of the count. Compact (every real tick: ids rising, as
    // players are listed in join order, and a tail drops at most one cell) is one varint per
    // move, (id - previous id) * 8 + dir * 2 + trim: one byte for ids that go up by less than 16.
    // General (anything else the schema allows) is the id, then a byte of dir and trim.
    let compact = true;
    for (let i = 0, prev = -1; i < moves.length; i++) {
      const move = moves[i]!;
      if ((move[1] & 3) !== move[1]) throw new RangeError(`binary codec: move direction ${move[1]} is not 0..3`);
      if (move[0] <= prev || move[0] - prev > MAX_COMPACT_STEP || move[2] > 1) compact = false;
      prev = move[0];
    }
    writeUint(moves.length * 2 + (compact ? 1 : 0));
    // The hot loop of a busy server: indexed reads, no destructuring, no allocation.
    for (let i = 0, prev = -1; i < moves.length; i++) {
      const move = moves[i]!;
      const dir = move[1];
      const trim = move[2];
      if (compact) {
        writeUint((move[0] - prev) * 8 + dir * 2 + trim);
        prev = move[0];
        continue;
      }
      writeUint(move[0]);
      if (trim >>> 0 === trim && trim < TRIM_ESCAPE) writeByte(dir | (trim << 2));
      else {
        writeByte(dir | (TRIM_ESCAPE << 2));
        writeUint(trim);
      }
    }
  }
  if (m.joins) {
    writeUint(m.joins.length);
    for (const j of m.joins) {
      writeUint(j.id);
      writeString(j.name);
    }
  }
  if (m.leaves) writeCells(m.leaves);
  if (m.deaths) {
    writeUint(m.deaths.length);
    for (const d of m.deaths) {
      const code = CAUSE_CODE[d.cause];
      if (code === undefined) throw new RangeError(`binary codec: unknown death cause ${String(d.cause)}`);
      writeUint(d.id);
      writeByte(code | (d.by === null ? 0 : DEATH_HAS_BY));
      if (d.by !== null) writeUint(d.by);
    }
  }
  if (m.spawns) {
    writeUint(m.spawns.length);
    for (const s of m.spawns) writeSnake(s, null);
  }
  if (m.scores) {
    writeUint(m.scores.length);
    for (const [id, score, best] of m.scores) {
      writeUint(id);
      writeUint(score);
      writeUint(best);
    }
  }
  if (m.food) writeFood(m.food);
  if (m.eaten) writeCells(m.eaten);
  if (m.top) writeTop(m.top);
}

function encodeServer(msg: ServerMessage): Uint8Array {
  at = 0;
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
      writeByte(TYPE_JOINED);
      writeUint(msg.tick);
      writeUint(msg.id);
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
    default: {
      const unknown: never = msg;
      throw new RangeError(`binary codec: unknown message type ${String((unknown as { type?: unknown }).type)}`);
    }
  }
  return out.slice(0, at);
}

// ---- decoding ------------------------------------------------------------------------------
// A cursor over one frame. Every read checks the bytes left, and every count is checked against
// them before anything is built, so a hostile frame costs at most linear work and memory.

// fatal: bad UTF-8 is refused, not replaced; ignoreBOM: a name may start with U+FEFF.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Reader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  fail(what: string): never {
    throw new BinaryFrameError(`${what} at byte ${this.pos} of ${this.bytes.length}`);
  }

  byte(what: string): number {
    if (this.pos >= this.bytes.length) this.fail(`truncated: no ${what}`);
    return this.bytes[this.pos++]!;
  }

  uint(what: string): number {
    let b = this.byte(what);
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let scale = 0x80;
    for (let n = 2; ; n++) {
      b = this.byte(what);
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        // A final 0 byte adds nothing: only the shortest form is accepted, so a value has one encoding.
        if (b === 0) this.fail(`${what}: overlong varint`);
        break;
      }
      if (n === MAX_VARINT_BYTES) this.fail(`${what}: varint longer than ${MAX_VARINT_BYTES} bytes`);
      scale *= 0x80;
    }
    if (value > Number.MAX_SAFE_INTEGER) this.fail(`${what}: varint above 2^53-1`);
    return value;
  }

  int(what: string): number {
    const b = this.byte(what);
    let magnitude = (b >> 1) & 0x3f;
    if (b & 0x80) {
      const rest = this.uint(what);
      if (rest === 0) this.fail(`${what}: overlong varint`);
      magnitude += rest * 64;
    }
    const value = b & 1 ? -magnitude - 1 : magnitude;
    if (!Number.isSafeInteger(value)) this.fail(`${what}: varint outside +-(2^53-1)`);
    return value;
  }

  /** At least 1: board sizes and the player cap. */
  positive(what: string): number {
    const v = this.uint(what);
    if (v === 0) this.fail(`${what} must be at least 1`);
    return v;
  }

  /** An array length, refused when even the smallest items could not fit in the bytes left. */
  count(what: string, minItemBytes: number): number {
    const n = this.uint(`${what} count`);
    if (n * minItemBytes > this.bytes.length - this.pos) this.fail(`${what} count ${n} is more than the frame holds`);
    return n;
  }

  string(what: string): string {
    const n = this.uint(`${what} length`);
    if (n > this.bytes.length - this.pos) this.fail(`truncated: ${what} needs ${n} bytes`);
    const start = this.pos;
    this.pos += n;
    try {
      return utf8.decode(this.bytes.subarray(start, this.pos));
    } catch (err) {
      throw new BinaryFrameError(`${what} is not valid UTF-8 at byte ${start}`, { cause: err });
    }
  }

  float64(what: string): number {
    if (this.bytes.length - this.pos < 8) this.fail(`truncated: ${what} needs 8 bytes`);
    f64Bytes.set(this.bytes.subarray(this.pos, this.pos + 8));
    this.pos += 8;
    return f64View.getFloat64(0, true);
  }

  end(): void {
    if (this.pos !== this.bytes.length) this.fail(`${this.bytes.length - this.pos} bytes after the message`);
  }

  /** Remaining bytes, for the chain form's own length check. */
  left(): number {
    return this.bytes.length - this.pos;
  }
}

function readTop(r: Reader): TopEntry[] {
  const top: TopEntry[] = [];
  for (let n = r.count('top', 2); n > 0; n--) top.push({ name: r.string('top name'), score: r.uint('top score') });
  return top;
}

function readFood(r: Reader): [number, number][] {
  const food: [number, number][] = [];
  const header = r.uint('food count');
  const count = Math.floor(header / 2);
  if (header % 2 === 0) {
    if (count * 2 > r.left()) r.fail(`food count ${count} is more than the frame holds`);
    for (let n = count; n > 0; n--) food.push([r.uint('food cell'), r.int('food value')]);
    return food;
  }
  if (count + Math.ceil(count / 2) > r.left()) r.fail(`food count ${count} is more than the frame holds`);
  let cell = 0;
  for (let n = count; n > 0; n--) {
    cell += r.int('food cell step');
    if (cell < 0 || cell > Number.MAX_SAFE_INTEGER) r.fail(`food cell ${cell} is off any board`);
    food.push([cell, 0]);
  }
  for (let i = 0; i < count; i += 2) {
    const b = r.byte('food values');
    const low = b & 15;
    const high = b >> 4;
    if (low === 0 || (i + 1 < count ? high === 0 : high !== 0)) r.fail(`bad packed food values ${b}`);
    food[i]![1] = low;
    if (i + 1 < count) food[i + 1]![1] = high;
  }
  return food;
}

function readCells(r: Reader, what: string): number[] {
  const cells: number[] = [];
  for (let n = r.count(what, 1); n > 0; n--) cells.push(r.uint(what));
  return cells;
}

/** `board` null means no board is known (a tick's spawns): only the raw form is allowed. */
function readSnake(r: Reader, board: Board | null): SnakeView {
  const id = r.uint('snake id');
  const lengthAndForm = r.uint('snake length');
  const n = Math.floor(lengthAndForm / 2);
  const body: number[] = [];
  if (lengthAndForm % 2 === FORM_RAW) {
    if (n > r.left()) r.fail(`snake ${id} has ${n} cells, more than the frame holds`);
    for (let i = 0; i < n; i++) body.push(r.uint('snake cell'));
    return { id, body };
  }
  if (board === null) r.fail(`snake ${id}: packed body where the board size is unknown`);
  if (n === 0) r.fail(`snake ${id}: packed body with no cells`);
  if (1 + Math.ceil((n - 1) / 4) > r.left()) r.fail(`snake ${id} has ${n} cells, more than the frame holds`);
  let cell = r.uint('snake head');
  if (!board.contains(cell)) r.fail(`snake ${id}: head ${cell} is off the board`);
  body.push(cell);
  let packed = 0;
  for (let i = 1; i < n; i++) {
    const slot = (i - 1) & 3;
    if (slot === 0) packed = r.byte('snake directions');
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
  return { type: 'welcome', tick, protocol, room, board, stones, tickRate, maxPlayers };
}

function decodeSnapshot(r: Reader, tick: number): SnapshotMessage {
  const board = readBoard(r);
  const players: PlayerView[] = [];
  for (let n = r.count('players', 5); n > 0; n--) {
    const id = r.uint('player id');
    const name = r.string('player name');
    const score = r.uint('score');
    const best = r.uint('best');
    const alive = r.byte('alive');
    if (alive > 1) r.fail(`alive must be 0 or 1, not ${alive}`);
    players.push({ id, name, score, best, alive: alive === 1 });
  }
  const snakes: SnakeView[] = [];
  const cells = new Board(board);
  for (let n = r.count('snakes', 2); n > 0; n--) snakes.push(readSnake(r, cells));
  const food = readFood(r);
  const stones = readCells(r, 'stones');
  const top = readTop(r);
  return { type: 'snapshot', tick, board, players, snakes, food, stones, top };
}

function decodeTick(r: Reader, tick: number): TickMessage {
  const mask = r.uint('section mask');
  if (mask > ALL_SECTIONS_MASK) r.fail(`unknown tick sections in mask ${mask}`);
  // Fields are added in schema order, so a decoded tick even stringifies like the original.
  const msg: TickMessage = { type: 'tick', tick };
  if (mask & 1) {
    const moves: [number, number, number][] = [];
    const header = r.uint('moves count');
    const compact = header % 2 === 1;
    const count = Math.floor(header / 2);
    if (count * (compact ? 1 : 2) > r.left()) r.fail(`moves count ${count} is more than the frame holds`);
    for (let n = count, prev = -1; n > 0; n--) {
      if (compact) {
        const v = r.uint('move');
        const step = Math.floor(v / 8);
        if (step < 1) r.fail('compact moves must have rising ids');
        if (prev + step > Number.MAX_SAFE_INTEGER) r.fail('move id above 2^53-1');
        prev += step;
        moves.push([prev, Math.floor(v / 2) % 4, v % 2]);
        continue;
      }
      const id = r.uint('move id');
      const b = r.byte('move');
      let trim = b >> 2;
      if (trim === TRIM_ESCAPE) {
        trim = r.uint('move trim');
        if (trim < TRIM_ESCAPE) r.fail(`move trim ${trim} escaped though it fits the byte`);
      }
      moves.push([id, b & 3, trim]);
    }
    msg.moves = moves;
  }
  if (mask & 2) {
    const joins: { id: number; name: string }[] = [];
    for (let n = r.count('joins', 2); n > 0; n--) joins.push({ id: r.uint('join id'), name: r.string('join name') });
    msg.joins = joins;
  }
  if (mask & 4) msg.leaves = readCells(r, 'leaves');
  if (mask & 8) {
    const deaths: NonNullable<TickMessage['deaths']> = [];
    for (let n = r.count('deaths', 2); n > 0; n--) {
      const id = r.uint('death id');
      const b = r.byte('death cause');
      const cause = CAUSES[b & 7];
      if (cause === undefined || b & ~(7 | DEATH_HAS_BY)) r.fail(`bad death cause byte ${b}`);
      deaths.push({ id, cause, by: b & DEATH_HAS_BY ? r.uint('death by') : null });
    }
    msg.deaths = deaths;
  }
  if (mask & 16) {
    const spawns: SnakeView[] = [];
    for (let n = r.count('spawns', 2); n > 0; n--) spawns.push(readSnake(r, null));
    msg.spawns = spawns;
  }
  if (mask & 32) {
    const scores: [number, number, number][] = [];
    for (let n = r.count('scores', 3); n > 0; n--) scores.push([r.uint('score id'), r.uint('score'), r.uint('best')]);
    msg.scores = scores;
  }
  if (mask & 64) msg.food = readFood(r);
  if (mask & 128) msg.eaten = readCells(r, 'eaten');
  if (mask & 256) msg.top = readTop(r);
  return msg;
}

function decodeServer(data: Uint8Array | string): ServerMessage {
  if (typeof data === 'string') throw new BinaryFrameError('got a text frame; the binary codec reads bytes');
  // Typed explicitly so that r.fail(), which never returns, narrows types after it.
  const r: Reader = new Reader(data);
  const type = r.byte('message type');
  if (type < TYPE_WELCOME || type > TYPE_ERROR) throw new BinaryFrameError(`unknown message type ${type}`);
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
    case TYPE_ERROR: {
      const index = r.byte('error code');
      const code = ERROR_CODES[index];
      if (code === undefined) r.fail(`unknown error code ${index}`);
      msg = { type: 'error', tick, code, message: r.string('error message') } satisfies ErrorMessage;
      break;
    }
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
