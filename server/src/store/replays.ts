// Replays: what a recorded room keeps so that any life in it can be played again exactly. The
// rules are pure and seeded (shared/src/rules/step.ts), so a recording is a keyframe (the whole
// GameState) every KEYFRAME_EVERY_S plus the inputs of every tick between them; a life is the
// ticks from the keyframe before it began to the tick it ended. ReplayStore is the interface the
// recorder (replay/recorder.ts) writes to and GET /api/replays/:id reads from, kept apart from
// GameStore so a networked GameStore (Redis) need not carry replays: they stay in the instance's
// own SQLite file. Blobs are deflated JSON (a keyframe is a checkpoint's JSON without tokens).
// Must not: trust a stored blob: it is checked (schema and the rules' invariants) before use.
// Tutorial: docs/tutorial/06-resume.md

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Dir, GameState, TickInputs } from '@snakepit/shared';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';

/** Seconds of play between two keyframes: a replay starts at most this long before its life. */
export const KEYFRAME_EVERY_S = 30;
/** How often stored replays are pruned by age and size, in ms. */
export const PRUNE_EVERY_MS = 10 * 60 * 1000;

/** One tick's inputs, as recorded: the tick step() produced from them, and what it was given. */
export interface RecordedTick extends TickInputs {
  readonly tick: number;
}

/** A recording's keyframe: the room's whole game at `state.tick`. */
export interface KeyframeRecord {
  readonly recording: string;
  readonly room: string;
  readonly tickRate: number;
  readonly state: GameState;
}

/** The inputs of ticks from + 1 .. to of a recording (ticks without any are left out). */
export interface InputsRecord {
  readonly recording: string;
  readonly from: number;
  readonly to: number;
  readonly ticks: readonly RecordedTick[];
}

/** A life that ended, and where its replay is. */
export interface LifeRecord {
  /** The replay id (REPLAY_ID_PATTERN), given to the player's page. */
  readonly id: string;
  readonly recording: string;
  readonly room: string;
  readonly player: number;
  readonly name: string;
  readonly score: number;
  /** The tick before the snake appeared (or the recording's first), and the tick it died. */
  readonly from: number;
  readonly to: number;
  /** When the life ended, ms since the epoch. */
  readonly at: number;
}

/** A life ready to play: the keyframe at or before `life.from`, and every tick's inputs up to `life.to`. */
export interface Replay {
  readonly life: LifeRecord;
  readonly tickRate: number;
  readonly start: GameState;
  readonly ticks: readonly RecordedTick[];
}

export interface ReplayStore {
  /** Queues a keyframe. */
  saveKeyframe(k: KeyframeRecord): void;
  /** Queues a run of ticks' inputs. */
  saveInputs(i: InputsRecord): void;
  /** Queues a finished life. */
  saveLife(life: LifeRecord): void;
  /** The recording ended (its room closed): what none of its lives needs can go. */
  endRecording(recording: string): void;
  /** The replay with this id, including what is queued; null when unknown, pruned or unreadable. */
  replay(id: string): Promise<Replay | null>;
  /** Deletes recordings older than `olderThan` (ms since the epoch), then the oldest until at most `maxBytes` remain. */
  pruneReplays(olderThan: number, maxBytes: number): Promise<void>;
  /** Bytes of recorded data kept (keyframes and inputs). */
  replayBytes(): number;
}

export function isReplayStore(store: object): store is ReplayStore {
  return typeof (store as Partial<ReplayStore>).replay === 'function' && typeof (store as Partial<ReplayStore>).saveLife === 'function';
}

// ---- the stored form -----------------------------------------------------------------------

/** A keyframe as JSON, before it is deflated (the SQLite store deflates on its writer thread). */
export function keyframeJson(k: KeyframeRecord): string {
  return encodeCheckpoint({ room: k.room, tickRate: k.tickRate, state: k.state, nextPlayerId: 1, players: [] });
}

export function encodeKeyframe(k: KeyframeRecord): Buffer {
  return deflateRawSync(keyframeJson(k));
}

/** The keyframe's state and tick rate; throws an Error saying what is wrong with the blob. */
export function decodeKeyframe(blob: Uint8Array): { state: GameState; tickRate: number } {
  const c = decodeCheckpoint(inflateRawSync(blob).toString('utf8'));
  return { state: c.state, tickRate: c.tickRate };
}

const Whole = Type.Integer({ minimum: 0 });
const Ids = Type.Optional(Type.Array(Whole));
const DirSchema = Type.Integer({ minimum: 0, maximum: 3 });
/** One recorded tick, as stored and as GET /api/replays/:id serves it. */
export const RecordedTickSchema = Type.Object(
  {
    tick: Type.Integer({ minimum: 1 }),
    joins: Type.Optional(Type.Array(Type.Object({ id: Whole, name: Type.String() }))),
    leaves: Ids,
    turns: Type.Optional(Type.Array(Type.Object({ id: Whole, dir: DirSchema, seq: Type.Optional(Whole) }))),
    away: Ids,
    back: Ids,
    respawns: Ids,
  },
  { additionalProperties: false },
);
const StoredTicks = TypeCompiler.Compile(Type.Array(RecordedTickSchema));

/** A tick's inputs as stored: the lists that are empty are left out. */
export function compactTick(tick: number, inputs: TickInputs): RecordedTick | null {
  const out: Record<string, unknown> = { tick };
  let any = false;
  for (const key of ['joins', 'leaves', 'turns', 'away', 'back', 'respawns'] as const) {
    const list = inputs[key];
    if (list && list.length > 0) {
      out[key] = list;
      any = true;
    }
  }
  return any ? (out as unknown as RecordedTick) : null;
}

/** A run of inputs as JSON, before it is deflated. */
export function inputsJson(ticks: readonly RecordedTick[]): string {
  return JSON.stringify(ticks);
}

export function encodeInputs(ticks: readonly RecordedTick[]): Buffer {
  return deflateRawSync(inputsJson(ticks));
}

export function decodeInputs(blob: Uint8Array): RecordedTick[] {
  const data: unknown = JSON.parse(inflateRawSync(blob).toString('utf8'));
  if (!StoredTicks.Check(data)) throw new Error('not recorded inputs');
  return data.map((t) => (t.turns ? { ...t, turns: t.turns.map((u) => ({ ...u, dir: u.dir as Dir })) } : t)) as RecordedTick[];
}

/**
 * A life's replay from its keyframe and the stored runs of inputs (in any order): the runs must
 * cover every tick from the keyframe to the life's end without a gap, or the replay is not
 * whole and null is returned.
 */
export function assemble(
  life: LifeRecord,
  keyframe: { state: GameState; tickRate: number },
  runs: readonly { from: number; to: number; ticks: readonly RecordedTick[] }[],
): Replay | null {
  let covered = keyframe.state.tick;
  const ticks: RecordedTick[] = [];
  for (const run of [...runs].sort((a, b) => a.from - b.from)) {
    if (run.to <= covered) continue;
    if (run.from > covered) return null;
    for (const t of run.ticks) if (t.tick > covered && t.tick <= life.to) ticks.push(t);
    covered = run.to;
    if (covered >= life.to) break;
  }
  if (covered < life.to) return null;
  return { life, tickRate: keyframe.tickRate, start: keyframe.state, ticks };
}
