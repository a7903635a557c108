// The building blocks of the binary format (docs/wire-format.md, section 2): varints, strings,
// lists of ids or cells, food and top-scores lines. binary.ts frames whole messages from them, and
// each tick section (sections.ts) writes and reads its own field with them.
// Must not: allocate per item while writing (a room encodes every tick into one reused buffer),
// or trust bytes while reading (every count is checked against the bytes left before use).
// Tutorial: docs/tutorial/03-state-sync.md

import { FOOD_MAX, FOOD_MIN } from '../constants.js';
import type { TopEntry } from './messages.js';

// shared/ has no DOM or Node typings; TextDecoder exists in both, so declare just what we use.
declare const TextDecoder: new (
  label?: string,
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => { decode(input: Uint8Array): string };

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

// ---- writing -------------------------------------------------------------------------------
// One module-level buffer, reused by every encode (encoding is synchronous, so never shared),
// written at `at` and copied out at the end: the only allocation per message is the result.

let out = new Uint8Array(INITIAL_SCRATCH_BYTES);
let at = 0;
const f64Bytes = new Uint8Array(8);
const f64View = new DataView(f64Bytes.buffer);

/** Starts a new frame in the scratch buffer. */
export function startFrame(): void {
  at = 0;
}

/** The bytes written since startFrame, as a fresh array the caller owns. */
export function finishFrame(): Uint8Array {
  return out.slice(0, at);
}

function reserve(bytes: number): void {
  if (at + bytes <= out.length) return;
  let size = out.length * 2;
  while (size < at + bytes) size *= 2;
  const grown = new Uint8Array(size);
  grown.set(out.subarray(0, at));
  out = grown;
}

export function writeByte(b: number): void {
  reserve(1);
  out[at++] = b;
}

/** Unsigned LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last. */
export function writeUint(v: number): void {
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

/** A uint that must be 0..max (a seq, a ping id): anything else cannot be sent. */
export function writeBounded(v: number, max: number, what: string): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= max)) throw new RangeError(`binary codec: ${what} ${v} is not 0..${max}`);
  writeUint(v);
}

/**
 * Signed integers as zigzag varints (protobuf's sint64): sign in bit 0, so small negatives stay
 * small. Written as a first byte plus a uint, never as the zigzag value itself, which would need
 * 54 bits for the largest safe integers and lose precision as a JS number.
 */
export function writeInt(v: number): void {
  if (!Number.isSafeInteger(v)) throw new RangeError(`binary codec: ${v} is not a safe integer`);
  const sign = v < 0 ? 1 : 0;
  const magnitude = sign ? -v - 1 : v;
  const low = magnitude % 64;
  const rest = Math.floor(magnitude / 64);
  writeByte((rest > 0 ? 0x80 : 0) | (low << 1) | sign);
  if (rest > 0) writeUint(rest);
}

export function writeFloat64(v: number): void {
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
export function writeString(s: string): void {
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

/** A list of ids or cells: the count, then each as a uint. */
export function writeUints(values: readonly number[]): void {
  writeUint(values.length);
  for (let i = 0; i < values.length; i++) writeUint(values[i]!);
}

export function writeTop(top: readonly TopEntry[]): void {
  writeUint(top.length);
  for (let i = 0; i < top.length; i++) {
    writeString(top[i]!.name);
    writeUint(top[i]!.score);
  }
}

/**
 * Food: the count, each cell as the signed step from the cell before (a dead snake's body turns
 * into food cell by cell, so neighbours differ by 1 or a row: one byte), then the values, which
 * are digits FOOD_MIN..FOOD_MAX, two to a byte (the first in the low 4 bits). An odd count leaves
 * the last high 4 bits 0, which no food value is.
 */
export function writeFood(food: readonly (readonly [number, number])[]): void {
  writeUint(food.length);
  let prev = 0;
  for (let i = 0; i < food.length; i++) {
    const cell = food[i]![0];
    if (!Number.isSafeInteger(cell) || cell < 0) throw new RangeError(`binary codec: ${cell} is not a cell`);
    writeInt(cell - prev);
    prev = cell;
  }
  for (let i = 0; i < food.length; i += 2) {
    writeByte(foodDigit(food[i]![1]) | (i + 1 < food.length ? foodDigit(food[i + 1]![1]) << 4 : 0));
  }
}

function foodDigit(v: number): number {
  if (!(Number.isInteger(v) && v >= FOOD_MIN && v <= FOOD_MAX)) {
    throw new RangeError(`binary codec: food value ${v} is not ${FOOD_MIN}..${FOOD_MAX}`);
  }
  return v;
}

// ---- reading -------------------------------------------------------------------------------
// A cursor over one frame. Every read checks the bytes left, and every count is checked against
// them before anything is built, so a hostile frame costs at most linear work and memory.

// fatal: bad UTF-8 is refused, not replaced; ignoreBOM: a name may start with U+FEFF.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Reader {
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

  /** A uint no larger than `max`. */
  bounded(what: string, max: number): number {
    const v = this.uint(what);
    if (v > max) this.fail(`${what} ${v} is above ${max}`);
    return v;
  }

  /** At least 1: board sizes, the player cap, a snake's length. */
  positive(what: string): number {
    const v = this.uint(what);
    if (v === 0) this.fail(`${what} must be at least 1`);
    return v;
  }

  /** An array length, refused when even the smallest items could not fit in the bytes left. */
  count(what: string, minItemBytes: number): number {
    const n = this.uint(`${what} count`);
    if (n * minItemBytes > this.left()) this.fail(`${what} count ${n} is more than the frame holds`);
    return n;
  }

  string(what: string): string {
    const n = this.uint(`${what} length`);
    if (n > this.left()) this.fail(`truncated: ${what} needs ${n} bytes`);
    const start = this.pos;
    this.pos += n;
    try {
      return utf8.decode(this.bytes.subarray(start, this.pos));
    } catch (err) {
      throw new BinaryFrameError(`${what} is not valid UTF-8 at byte ${start}`, { cause: err });
    }
  }

  float64(what: string): number {
    if (this.left() < 8) this.fail(`truncated: ${what} needs 8 bytes`);
    f64Bytes.set(this.bytes.subarray(this.pos, this.pos + 8));
    this.pos += 8;
    return f64View.getFloat64(0, true);
  }

  end(): void {
    if (this.pos !== this.bytes.length) this.fail(`${this.left()} bytes after the message`);
  }

  /** Bytes not read yet, for length checks of items bigger than one byte. */
  left(): number {
    return this.bytes.length - this.pos;
  }
}

export function readUints(r: Reader, what: string): number[] {
  const values: number[] = [];
  for (let n = r.count(what, 1); n > 0; n--) values.push(r.uint(what));
  return values;
}

export function readTop(r: Reader): TopEntry[] {
  const top: TopEntry[] = [];
  for (let n = r.count('top', 2); n > 0; n--) top.push({ name: r.string('top name'), score: r.uint('top score') });
  return top;
}

export function readFood(r: Reader): [number, number][] {
  const count = r.uint('food count');
  if (count + Math.ceil(count / 2) > r.left()) r.fail(`food count ${count} is more than the frame holds`);
  const food: [number, number][] = [];
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
    const paired = i + 1 < count;
    if (!isFoodDigit(low) || (paired ? !isFoodDigit(high) : high !== 0)) r.fail(`bad packed food values ${b}`);
    food[i]![1] = low;
    if (paired) food[i + 1]![1] = high;
  }
  return food;
}

function isFoodDigit(v: number): boolean {
  return v >= FOOD_MIN && v <= FOOD_MAX;
}
