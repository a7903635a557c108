// The store kept in the process: nothing survives a restart (durable is false, so shutdown says
// "server shutting down", not "restarting"). Tests and `memoryOnly` use it; it answers exactly
// like the SQLite store, which the store tests check by running the same cases on both.
// Replays are kept encoded, as the SQLite store keeps them, and pruned the same way.
// Must not: grow without bound: one best score per room, name and day, as the SQLite store.
// Tutorial: docs/tutorial/06-resume.md

import type { TopEntry } from '@snakepit/shared';
import {
  type GameStore,
  type LeaderboardEntry,
  type LeaderboardQuery,
  type RoomCheckpoint,
  type ScoreRecord,
  type StoreCounters,
  utcDay,
} from '../store.js';
import {
  type InputsRecord,
  type KeyframeRecord,
  type LifeRecord,
  type Replay,
  type ReplayStore,
  assemble,
  decodeInputs,
  decodeKeyframe,
  encodeInputs,
  encodeKeyframe,
} from './replays.js';

/** A stored keyframe or run of inputs: its recording, ticks, when it was saved and its bytes. */
interface Blob {
  readonly recording: string;
  readonly from: number;
  readonly to: number;
  readonly at: number;
  readonly data: Buffer;
}

export class MemoryStore implements GameStore, ReplayStore {
  readonly durable = false;
  readonly counters: StoreCounters = { batches: 0, failures: 0, checkpointAt: null };
  onBatch?: (durationMs: number) => void;
  readonly #top = new Map<string, readonly TopEntry[]>();
  /** Best score per room, name and UTC day. */
  readonly #scores = new Map<string, ScoreRecord>();
  readonly #checkpoints = new Map<string, RoomCheckpoint>();
  #keyframes: Blob[] = [];
  #inputs: Blob[] = [];
  readonly #lives = new Map<string, LifeRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  topScores(room: string): readonly TopEntry[] {
    return this.#top.get(room) ?? [];
  }

  setTopScores(room: string, table: readonly TopEntry[]): void {
    this.#top.set(room, table);
  }

  recordScore(s: ScoreRecord): void {
    if (s.score <= 0) return;
    const key = `${s.room}\0${s.name}\0${utcDay(s.at)}`;
    const had = this.#scores.get(key);
    if (!had || s.score > had.score) this.#scores.set(key, s);
  }

  async leaderboard(q: LeaderboardQuery): Promise<LeaderboardEntry[]> {
    const today = utcDay(this.now());
    const best = new Map<string, ScoreRecord>();
    for (const s of this.#scores.values()) {
      if (q.room !== undefined && s.room !== q.room) continue;
      if (q.period === 'today' && utcDay(s.at) !== today) continue;
      const had = best.get(s.name);
      if (!had || s.score > had.score || (s.score === had.score && s.at < had.at)) best.set(s.name, s);
    }
    return [...best.values()]
      .sort((a, b) => b.score - a.score || a.at - b.at || (a.name < b.name ? -1 : 1))
      .slice(0, q.limit)
      .map(({ name, score, room, at }) => ({ name, score, room, at }));
  }

  saveCheckpoints(rooms: readonly RoomCheckpoint[]): void {
    for (const c of rooms) this.#checkpoints.set(c.room, c);
  }

  deleteCheckpoint(room: string): void {
    this.#checkpoints.delete(room);
  }

  async loadCheckpoints(): Promise<RoomCheckpoint[]> {
    return [...this.#checkpoints.values()];
  }

  saveKeyframe(k: KeyframeRecord): void {
    const tick = k.state.tick;
    this.#keyframes.push({ recording: k.recording, from: tick, to: tick, at: this.now(), data: encodeKeyframe(k) });
  }

  saveInputs(i: InputsRecord): void {
    this.#inputs.push({ recording: i.recording, from: i.from, to: i.to, at: this.now(), data: encodeInputs(i.ticks) });
  }

  saveLife(life: LifeRecord): void {
    this.#lives.set(life.id, life);
  }

  endRecording(recording: string): void {
    for (const life of this.#lives.values()) if (life.recording === recording) return;
    this.#keyframes = this.#keyframes.filter((b) => b.recording !== recording);
    this.#inputs = this.#inputs.filter((b) => b.recording !== recording);
  }

  async replay(id: string): Promise<Replay | null> {
    const life = this.#lives.get(id);
    if (!life) return null;
    let kf: Blob | undefined;
    for (const k of this.#keyframes) if (k.recording === life.recording && k.from <= life.from && (!kf || k.from > kf.from)) kf = k;
    if (!kf) return null;
    try {
      const keyframe = decodeKeyframe(kf.data);
      const runs = this.#inputs
        .filter((r) => r.recording === life.recording && r.to > keyframe.state.tick && r.from < life.to)
        .map((r) => ({ from: r.from, to: r.to, ticks: decodeInputs(r.data) }));
      return assemble(life, keyframe, runs);
    } catch {
      return null; // as the SQLite store: unreadable is not found
    }
  }

  async pruneReplays(olderThan: number, maxBytes: number): Promise<void> {
    let cutoff = olderThan;
    if (this.replayBytes() > maxBytes) {
      let kept = 0;
      for (const b of [...this.#keyframes, ...this.#inputs].sort((a, b) => b.at - a.at)) {
        kept += b.data.length;
        if (kept > maxBytes) {
          cutoff = Math.max(cutoff, b.at + 1);
          break;
        }
      }
    }
    this.#keyframes = this.#keyframes.filter((b) => b.at >= cutoff);
    this.#inputs = this.#inputs.filter((b) => b.at >= cutoff);
    for (const [id, life] of this.#lives) {
      if (life.at < cutoff || !this.#keyframes.some((k) => k.recording === life.recording && k.from <= life.from)) this.#lives.delete(id);
    }
  }

  replayBytes(): number {
    let bytes = 0;
    for (const b of this.#keyframes) bytes += b.data.length;
    for (const b of this.#inputs) bytes += b.data.length;
    return bytes;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}

  sizeBytes(): number {
    return 0;
  }
}
