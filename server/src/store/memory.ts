// The store kept in the process: nothing survives a restart (durable is false, so shutdown says
// "server shutting down", not "restarting"). Tests and `memoryOnly` use it; it answers exactly
// like the SQLite store, which the store tests check by running the same cases on both.
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

export class MemoryStore implements GameStore {
  readonly durable = false;
  readonly counters: StoreCounters = { batches: 0, failures: 0, checkpointAt: null };
  onBatch?: (durationMs: number) => void;
  readonly #top = new Map<string, readonly TopEntry[]>();
  /** Best score per room, name and UTC day. */
  readonly #scores = new Map<string, ScoreRecord>();
  readonly #checkpoints = new Map<string, RoomCheckpoint>();

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

  async flush(): Promise<void> {}

  async close(): Promise<void> {}

  sizeBytes(): number {
    return 0;
  }
}
