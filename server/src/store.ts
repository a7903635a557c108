// What outlives a room and the process, behind one small interface, GameStore, so that rooms and
// routes never know the backend: the rooms' top-score tables, the leaderboard of finished lives,
// and room checkpoints for restarts. Writes are queued in memory and go out in batches off the
// tick path; reads that a request makes are async so a networked backend (Redis) can take the
// place of the embedded SQLite one (store/sqlite.ts) later. MemoryStore (store/memory.ts) keeps
// everything in the process: for tests, and for `memoryOnly`.
// Tutorial: docs/tutorial/06-resume.md

import type { TopEntry } from '@snakepit/shared';
import type { RoomCheckpoint } from './store/checkpoint.js';

export type { RoomCheckpoint } from './store/checkpoint.js';

export const PERIODS = ['all', 'today'] as const;
/** all: every score ever kept; today: scores of the current UTC day. */
export type Period = (typeof PERIODS)[number];

/** A life that ended (died or left) with its score. */
export interface ScoreRecord {
  readonly room: string;
  readonly name: string;
  readonly score: number;
  /** When the life ended, ms since the epoch; its UTC day is the leaderboard's "today". */
  readonly at: number;
}

export interface LeaderboardQuery {
  /** One room's board, or every room's when left out. */
  readonly room?: string;
  readonly period: Period;
  readonly limit: number;
}

/** A name's best score in the query's rooms and period (one line per name). */
export interface LeaderboardEntry {
  readonly name: string;
  readonly score: number;
  /** The room the best score was made in. */
  readonly room: string;
  /** When that life ended, ms since the epoch. */
  readonly at: number;
}

/** What the store did, read by /metrics when Prometheus scrapes. */
export interface StoreCounters {
  /** Batches written (committed) and batches that failed (kept for the next one). */
  batches: number;
  failures: number;
  /** When the last batch holding checkpoints committed (ms since the epoch), or null. */
  checkpointAt: number | null;
}

export interface StoreLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface GameStore {
  /** True when what is written survives the process (rooms are checkpointed at shutdown). */
  readonly durable: boolean;
  readonly counters: StoreCounters;
  /** Called after each batch with its duration in ms (a histogram in /metrics). */
  onBatch?: (durationMs: number) => void;

  /** A room's top-score table, including changes not yet written. Read when a room is made. */
  topScores(room: string): readonly TopEntry[];
  /** Queues a room's new table. */
  setTopScores(room: string, table: readonly TopEntry[]): void;
  /** Queues a finished life for the leaderboards (scores of 0 are not kept). */
  recordScore(score: ScoreRecord): void;
  /** Best score per name, highest first; queued scores show once written (within a batch). */
  leaderboard(query: LeaderboardQuery): Promise<LeaderboardEntry[]>;

  /** Queues rooms' checkpoints, replacing their previous ones. */
  saveCheckpoints(rooms: readonly RoomCheckpoint[]): void;
  /** Queues the removal of a room's checkpoint (the room ended). */
  deleteCheckpoint(room: string): void;
  /** Every saved checkpoint that can be used; damaged ones are logged and deleted. */
  loadCheckpoints(): Promise<RoomCheckpoint[]>;

  /** Writes everything queued, in one transaction. */
  flush(): Promise<void>;
  /** Flushes, stops the batch timer and lets go of the backend. */
  close(): Promise<void>;
  /** Bytes the store takes on disk (0 in memory). */
  sizeBytes(): number;
}

/** The store could not be opened: start-up stops with this message (it names the file). */
export class StoreError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Milliseconds between two batches: at most this much finished play waits in memory. */
export const BATCH_MS = 1000;

/** The UTC day of `ms`, as the leaderboards group it: 2026-05-01. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
