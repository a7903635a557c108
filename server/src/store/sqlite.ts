// The default store: one SQLite database, DATA_DIR/snakepit.db, through node:sqlite (built into
// Node: no native build). WAL mode, so readers (the API, a backup with VACUUM INTO) never wait
// for the writer; the schema is versioned in PRAGMA user_version and MIGRATIONS run in order at
// open. Writes are queued in memory and committed in one transaction every BATCH_MS, on an
// unref'd timer, never from a tick. Before a batch commits, its checkpoints and recordings are
// encoded (JSON, deflate) a few milliseconds at a time, yielding to the event loop in between, so
// the ticks due meanwhile run on time: 200 rooms' keyframes at once are tens of ms of work. A
// batch that fails (read-only file, locked by another
// process) is logged once and kept for the next one: the game goes on. A file that cannot be
// opened stops start-up with a StoreError naming it. The old top-scores.json is imported once.
// Must not: wait on a lock (busy timeout 0: a blocked batch is retried, the event loop never waits).
// Tutorial: docs/tutorial/06-resume.md

import { mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { TOP_SCORES, type TopEntry } from '@snakepit/shared';
import {
  BATCH_MS,
  type GameStore,
  type LeaderboardEntry,
  type LeaderboardQuery,
  type RoomCheckpoint,
  type ScoreRecord,
  type StoreCounters,
  StoreError,
  type StoreLog,
  utcDay,
} from '../store.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
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

export const DB_FILE = 'snakepit.db';
/** The file the store kept before the database; imported once, then renamed with IMPORTED_SUFFIX. */
export const JSON_FILE = 'top-scores.json';
export const IMPORTED_SUFFIX = '.imported';
/** Distinct leaderboard answers kept between two batches (the join screens poll the same few). */
const CACHE_MAX = 500;

/** The schema, one step per version: migration i takes user_version i to i + 1. Append only. */
export const MIGRATIONS: readonly string[] = [
  // 1: each room's top-score table, as the room shows it.
  `CREATE TABLE top_scores (
     room TEXT PRIMARY KEY,
     entries TEXT NOT NULL,  -- JSON [{name, score}], best first
     updated_at INTEGER NOT NULL
   ) STRICT;`,
  // 2: finished lives for the leaderboards (best per room, name and UTC day), and room checkpoints.
  `CREATE TABLE scores (
     room TEXT NOT NULL,
     name TEXT NOT NULL,
     day TEXT NOT NULL,      -- UTC, 2026-05-01
     score INTEGER NOT NULL,
     at INTEGER NOT NULL,    -- ms since the epoch
     PRIMARY KEY (room, name, day)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX scores_by_day ON scores (day, score DESC);
   CREATE TABLE checkpoints (
     room TEXT PRIMARY KEY,
     saved_at INTEGER NOT NULL,
     data TEXT NOT NULL      -- store/checkpoint.ts
   ) STRICT;`,
  // 3: replays (store/replays.ts): recordings' keyframes and inputs, and the lives in them.
  `CREATE TABLE replay_keyframes (
     recording TEXT NOT NULL,
     tick INTEGER NOT NULL,
     at INTEGER NOT NULL,    -- ms since the epoch, when written
     data BLOB NOT NULL,     -- deflated checkpoint JSON
     UNIQUE (recording, tick)
   ) STRICT;
   CREATE INDEX replay_keyframes_by_age ON replay_keyframes (at);
   CREATE TABLE replay_inputs (
     recording TEXT NOT NULL,
     from_tick INTEGER NOT NULL, -- the inputs of ticks from_tick + 1 .. to_tick
     to_tick INTEGER NOT NULL,
     at INTEGER NOT NULL,
     data BLOB NOT NULL,     -- deflated JSON, one entry per tick that had inputs
     UNIQUE (recording, from_tick)
   ) STRICT;
   CREATE INDEX replay_inputs_by_age ON replay_inputs (at);
   CREATE TABLE replay_lives (
     id TEXT PRIMARY KEY,
     recording TEXT NOT NULL,
     room TEXT NOT NULL,
     player INTEGER NOT NULL,
     name TEXT NOT NULL,
     score INTEGER NOT NULL,
     from_tick INTEGER NOT NULL,
     to_tick INTEGER NOT NULL,
     at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX replay_lives_by_age ON replay_lives (at);`,
];

/** Brings `db` from its user_version up to `MIGRATIONS.length` (or `upTo`), each step in a transaction. */
export function migrate(db: DatabaseSync, file: string, upTo = MIGRATIONS.length): number {
  const from = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (from > MIGRATIONS.length) {
    throw new StoreError(
      file,
      `${file} was written by a newer snakepit (schema ${from}; this one knows up to ${MIGRATIONS.length}): use that version, or a backup`,
    );
  }
  for (let v = from; v < upTo; v++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
  return from;
}

interface Statements {
  topGet: StatementSync;
  topPut: StatementSync;
  scorePut: StatementSync;
  board: StatementSync;
  checkpointPut: StatementSync;
  checkpointDelete: StatementSync;
  checkpointAll: StatementSync;
  keyframePut: StatementSync;
  inputsPut: StatementSync;
  lifePut: StatementSync;
  lifeGet: StatementSync;
  keyframeBefore: StatementSync;
  keyframesUnused: StatementSync;
  inputsUnused: StatementSync;
  inputsBetween: StatementSync;
  replayBytes: StatementSync;
}

export interface SqliteStoreOptions {
  /** The clock for "today" and timestamps (tests fix it). */
  readonly now?: () => number;
  /** How long one slice of a batch's encoding may hold the event loop (tests set 0: yield after each). */
  readonly encodeSliceMs?: number;
}

/** How long one slice of a batch's encoding may hold the event loop, in ms (a tick is 100). */
const ENCODE_SLICE_MS = 4;

export class SqliteStore implements GameStore, ReplayStore {
  readonly durable = true;
  readonly counters: StoreCounters = { batches: 0, failures: 0, checkpointAt: null };
  onBatch?: (durationMs: number) => void;
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #sql: Statements;
  readonly #now: () => number;
  // What the next batch writes. Batches are synchronous, so nothing changes these during one:
  // they are cleared only once the batch has committed, and a failed batch leaves them for the next.
  readonly #top = new Map<string, readonly TopEntry[]>();
  readonly #scores = new Map<string, ScoreRecord>();
  /** A checkpoint to write, or null to delete the room's. */
  readonly #checkpoints = new Map<string, RoomCheckpoint | null>();
  /** Blobs encoded ahead of the batch that writes them, by the queued object they encode. */
  readonly #blobs = new WeakMap<object, string | Uint8Array>();
  #encoding = false;
  readonly #encodeSliceMs: number;
  #keyframes: KeyframeRecord[] = [];
  #inputs: InputsRecord[] = [];
  #lives: LifeRecord[] = [];
  /** Recordings that ended: their data goes unless a life needs it. */
  #ended: string[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Logged the current run of failures already. */
  #failing = false;
  #closed = false;
  readonly #cache = new Map<string, LeaderboardEntry[]>();

  /** Opens (creating if need be) DATA_DIR/snakepit.db; throws a StoreError naming the file. */
  constructor(
    dataDir: string,
    private readonly log: StoreLog,
    options: SqliteStoreOptions = {},
  ) {
    this.file = join(dataDir, DB_FILE);
    this.#now = options.now ?? Date.now;
    this.#encodeSliceMs = options.encodeSliceMs ?? ENCODE_SLICE_MS;
    let db: DatabaseSync | null = null;
    try {
      mkdirSync(dataDir, { recursive: true });
      // No busy wait: a lock held elsewhere fails the batch at once, and it is tried again later.
      db = new DatabaseSync(this.file, { timeout: 0 });
      db.exec('PRAGMA journal_mode = WAL');
      // With WAL, NORMAL loses at most the last batches on power loss, never the file's integrity.
      db.exec('PRAGMA synchronous = NORMAL');
      const from = migrate(db, this.file);
      if (from < MIGRATIONS.length) log.info({ file: this.file, from, to: MIGRATIONS.length }, 'database schema migrated');
    } catch (err) {
      db?.close();
      if (err instanceof StoreError) throw err;
      const why = err instanceof Error ? err.message : String(err);
      throw new StoreError(this.file, `cannot open the database ${this.file}: ${why}`);
    }
    this.#db = db;
    this.#sql = {
      topGet: db.prepare('SELECT entries FROM top_scores WHERE room = ?'),
      topPut: db.prepare(
        'INSERT INTO top_scores (room, entries, updated_at) VALUES (?, ?, ?) ON CONFLICT (room) DO UPDATE SET entries = excluded.entries, updated_at = excluded.updated_at',
      ),
      scorePut: db.prepare(
        `INSERT INTO scores (room, name, day, score, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (room, name, day) DO UPDATE SET score = excluded.score, at = excluded.at WHERE excluded.score > scores.score`,
      ),
      // One line per name, its best score (the earliest of equal ones), best first.
      board: db.prepare(
        `SELECT name, score, room, at FROM (
           SELECT name, score, room, at, ROW_NUMBER() OVER (PARTITION BY name ORDER BY score DESC, at ASC) AS n
           FROM scores WHERE ($room IS NULL OR room = $room) AND ($day IS NULL OR day = $day)
         ) WHERE n = 1 ORDER BY score DESC, at ASC, name LIMIT $limit`,
      ),
      checkpointPut: db.prepare(
        'INSERT INTO checkpoints (room, saved_at, data) VALUES (?, ?, ?) ON CONFLICT (room) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data',
      ),
      checkpointDelete: db.prepare('DELETE FROM checkpoints WHERE room = ?'),
      checkpointAll: db.prepare('SELECT room, data FROM checkpoints ORDER BY room'),
      keyframePut: db.prepare('INSERT OR REPLACE INTO replay_keyframes (recording, tick, at, data) VALUES (?, ?, ?, ?)'),
      inputsPut: db.prepare('INSERT OR REPLACE INTO replay_inputs (recording, from_tick, to_tick, at, data) VALUES (?, ?, ?, ?, ?)'),
      lifePut: db.prepare(
        'INSERT OR REPLACE INTO replay_lives (id, recording, room, player, name, score, from_tick, to_tick, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      lifeGet: db.prepare(
        'SELECT id, recording, room, player, name, score, from_tick AS "from", to_tick AS "to", at FROM replay_lives WHERE id = ?',
      ),
      keyframesUnused: db.prepare(
        'DELETE FROM replay_keyframes WHERE recording = $r AND NOT EXISTS (SELECT 1 FROM replay_lives WHERE recording = $r)',
      ),
      inputsUnused: db.prepare(
        'DELETE FROM replay_inputs WHERE recording = $r AND NOT EXISTS (SELECT 1 FROM replay_lives WHERE recording = $r)',
      ),
      keyframeBefore: db.prepare('SELECT data FROM replay_keyframes WHERE recording = ? AND tick <= ? ORDER BY tick DESC LIMIT 1'),
      inputsBetween: db.prepare(
        'SELECT from_tick AS "from", to_tick AS "to", data FROM replay_inputs WHERE recording = ? AND to_tick > ? AND from_tick < ? ORDER BY from_tick',
      ),
      replayBytes: db.prepare(
        'SELECT (SELECT COALESCE(SUM(length(data)), 0) FROM replay_keyframes) + (SELECT COALESCE(SUM(length(data)), 0) FROM replay_inputs) AS bytes',
      ),
    };
    this.#importJson(join(dataDir, JSON_FILE));
  }

  topScores(room: string): readonly TopEntry[] {
    const queued = this.#top.get(room);
    if (queued) return queued;
    try {
      const row = this.#sql.topGet.get(room) as { entries: string } | undefined;
      return row ? tableFrom(JSON.parse(row.entries)) : [];
    } catch (err) {
      this.log.warn({ err, file: this.file, room }, "could not read a room's top scores; it starts with an empty table");
      return [];
    }
  }

  setTopScores(room: string, table: readonly TopEntry[]): void {
    this.#top.set(room, table);
    this.#schedule();
  }

  recordScore(s: ScoreRecord): void {
    if (s.score <= 0) return;
    const key = `${s.room}\0${s.name}\0${utcDay(s.at)}`;
    const had = this.#scores.get(key);
    if (!had || s.score > had.score) this.#scores.set(key, s);
    this.#schedule();
  }

  async leaderboard(q: LeaderboardQuery): Promise<LeaderboardEntry[]> {
    const day = q.period === 'today' ? utcDay(this.#now()) : null;
    const key = `${q.room ?? ''}\0${day ?? ''}\0${q.limit}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const rows = this.#sql.board.all({ room: q.room ?? null, day, limit: q.limit }) as unknown as LeaderboardEntry[];
    const entries = rows.map(({ name, score, room, at }) => ({ name, score: Number(score), room, at: Number(at) }));
    if (this.#cache.size >= CACHE_MAX) this.#cache.clear();
    this.#cache.set(key, entries);
    return entries;
  }

  saveCheckpoints(rooms: readonly RoomCheckpoint[]): void {
    for (const c of rooms) this.#checkpoints.set(c.room, c);
    if (rooms.length > 0) this.#schedule();
  }

  deleteCheckpoint(room: string): void {
    this.#checkpoints.set(room, null);
    this.#schedule();
  }

  async loadCheckpoints(): Promise<RoomCheckpoint[]> {
    const out: RoomCheckpoint[] = [];
    for (const row of this.#sql.checkpointAll.all() as { room: string; data: string }[]) {
      try {
        out.push(decodeCheckpoint(row.data));
      } catch (err) {
        this.log.warn({ err, file: this.file, room: row.room }, 'dropping a checkpoint that cannot be restored');
        this.deleteCheckpoint(row.room);
      }
    }
    return out;
  }

  saveKeyframe(k: KeyframeRecord): void {
    this.#keyframes.push(k);
    this.#schedule();
  }

  saveInputs(i: InputsRecord): void {
    this.#inputs.push(i);
    this.#schedule();
  }

  saveLife(life: LifeRecord): void {
    this.#lives.push(life);
    this.#schedule();
  }

  endRecording(recording: string): void {
    this.#ended.push(recording);
    this.#schedule();
  }

  /** Writes what is queued first, so a life that ended a moment ago is found. */
  async replay(id: string): Promise<Replay | null> {
    this.#write();
    const life = this.#sql.lifeGet.get(id) as unknown as LifeRecord | undefined;
    if (!life) return null;
    try {
      const kf = this.#sql.keyframeBefore.get(life.recording, life.from) as { data: Uint8Array } | undefined;
      if (!kf) return null;
      const keyframe = decodeKeyframe(kf.data);
      const rows = this.#sql.inputsBetween.all(life.recording, keyframe.state.tick, life.to) as {
        from: number;
        to: number;
        data: Uint8Array;
      }[];
      const runs = rows.map((r) => ({ from: Number(r.from), to: Number(r.to), ticks: decodeInputs(r.data) }));
      return assemble(
        {
          ...life,
          player: Number(life.player),
          score: Number(life.score),
          from: Number(life.from),
          to: Number(life.to),
          at: Number(life.at),
        },
        keyframe,
        runs,
      );
    } catch (err) {
      this.log.warn({ err, file: this.file, replay: id }, 'a replay could not be read');
      return null;
    }
  }

  pruneReplays(olderThan: number, maxBytes: number): void {
    this.#write();
    const db = this.#db;
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        let cutoff = olderThan;
        // Over the size: the newest rows that fit stay, everything older goes.
        if (this.replayBytes() > maxBytes) {
          const rows = db
            .prepare(
              'SELECT at, length(data) AS bytes FROM replay_keyframes UNION ALL SELECT at, length(data) FROM replay_inputs ORDER BY at DESC',
            )
            .iterate() as Iterable<{ at: number; bytes: number }>;
          let kept = 0;
          for (const r of rows) {
            kept += Number(r.bytes);
            if (kept > maxBytes) {
              cutoff = Math.max(cutoff, Number(r.at) + 1);
              break;
            }
          }
        }
        db.prepare('DELETE FROM replay_keyframes WHERE at < ?').run(cutoff);
        db.prepare('DELETE FROM replay_inputs WHERE at < ?').run(cutoff);
        // A life whose keyframe went cannot be played.
        db.prepare(
          `DELETE FROM replay_lives WHERE at < ? OR NOT EXISTS (
             SELECT 1 FROM replay_keyframes k WHERE k.recording = replay_lives.recording AND k.tick <= replay_lives.from_tick)`,
        ).run(cutoff);
        db.exec('COMMIT');
      } catch (err) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw err;
      }
    } catch (err) {
      this.log.warn({ err, file: this.file }, 'could not prune old replays; trying again later');
    }
  }

  replayBytes(): number {
    return Number((this.#sql.replayBytes.get() as { bytes: number }).bytes);
  }

  async flush(): Promise<void> {
    this.#write();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#write();
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#db.close();
  }

  sizeBytes(): number {
    let bytes = 0;
    for (const f of [this.file, `${this.file}-wal`]) {
      try {
        bytes += statSync(f).size;
      } catch {
        // no WAL file between checkpoints of the WAL
      }
    }
    return bytes;
  }

  #schedule(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#encodeThenWrite();
    }, BATCH_MS);
    this.#timer.unref();
  }

  /** The queued writes that take encoding, each with how to encode it. */
  *#toEncode(): Generator<[object, () => string | Uint8Array]> {
    for (const c of this.#checkpoints.values()) if (c !== null) yield [c, () => encodeCheckpoint(c)];
    for (const k of this.#keyframes) yield [k, () => encodeKeyframe(k)];
    for (const i of this.#inputs) yield [i, () => encodeInputs(i.ticks)];
  }

  /**
   * Encodes what is queued a slice (ENCODE_SLICE_MS) at a time, letting the event loop run (ticks, sockets)
   * between slices, then commits it all in one short transaction. What is queued meanwhile is
   * encoded by #write itself; a flush() or close() meanwhile simply writes first.
   */
  async #encodeThenWrite(): Promise<void> {
    if (this.#encoding) return;
    this.#encoding = true;
    try {
      let slice = performance.now();
      for (const [item, encode] of this.#toEncode()) {
        if (this.#closed) return;
        if (!this.#blobs.has(item)) this.#blobs.set(item, encode());
        if (performance.now() - slice >= this.#encodeSliceMs) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
      }
    } finally {
      this.#encoding = false;
    }
    this.#write();
  }

  /** `item`'s blob: encoded ahead by #encodeThenWrite, or now. */
  #blob<T extends object>(item: T, encode: (item: T) => string | Uint8Array): string | Uint8Array {
    return this.#blobs.get(item) ?? encode(item);
  }

  /** One transaction with everything queued. On failure the queue stays for the next batch. */
  #write(): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (
      this.#top.size === 0 &&
      this.#scores.size === 0 &&
      this.#checkpoints.size === 0 &&
      this.#keyframes.length + this.#inputs.length + this.#lives.length + this.#ended.length === 0
    )
      return;
    const started = performance.now();
    const now = this.#now();
    const hasCheckpoints = [...this.#checkpoints.values()].some((c) => c !== null);
    const db = this.#db;
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const [room, table] of this.#top) this.#sql.topPut.run(room, JSON.stringify(table), now);
        for (const s of this.#scores.values()) this.#sql.scorePut.run(s.room, s.name, utcDay(s.at), s.score, s.at);
        for (const [room, c] of this.#checkpoints) {
          if (c === null) this.#sql.checkpointDelete.run(room);
          else this.#sql.checkpointPut.run(room, now, this.#blob(c, encodeCheckpoint));
        }
        for (const k of this.#keyframes) this.#sql.keyframePut.run(k.recording, k.state.tick, now, this.#blob(k, encodeKeyframe));
        for (const i of this.#inputs)
          this.#sql.inputsPut.run(
            i.recording,
            i.from,
            i.to,
            now,
            this.#blob(i, (r) => encodeInputs(r.ticks)),
          );
        for (const l of this.#lives) this.#sql.lifePut.run(l.id, l.recording, l.room, l.player, l.name, l.score, l.from, l.to, l.at);
        // After the lives, so a life written in this batch keeps its recording.
        for (const r of this.#ended) {
          this.#sql.keyframesUnused.run({ r });
          this.#sql.inputsUnused.run({ r });
        }
        db.exec('COMMIT');
      } catch (err) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw err;
      }
    } catch (err) {
      this.counters.failures++;
      if (!this.#failing)
        this.log.warn({ err, file: this.file }, 'could not write to the database; keeping the changes in memory and trying again');
      this.#failing = true;
      this.#schedule();
      return;
    }
    if (this.#failing) this.log.info({ file: this.file }, 'writing to the database again');
    this.#failing = false;
    this.#top.clear();
    this.#scores.clear();
    this.#checkpoints.clear();
    this.#keyframes = [];
    this.#inputs = [];
    this.#lives = [];
    this.#ended = [];
    this.#cache.clear();
    this.counters.batches++;
    if (hasCheckpoints) this.counters.checkpointAt = now;
    this.onBatch?.(performance.now() - started);
  }

  /**
   * Brings in the top-scores.json the store kept before the database, once: its tables, and its
   * lines as leaderboard scores dated by the file's time. A file that cannot be read or parsed
   * is logged and left as it is for a person to look at.
   */
  #importJson(json: string): void {
    let text: string;
    let mtime: number;
    try {
      text = readFileSync(json, 'utf8');
      mtime = statSync(json).mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.log.error({ err, file: json }, 'could not read the old top scores file; not imported, left as it is');
      return;
    }
    let rooms: [string, TopEntry[]][];
    try {
      const data = JSON.parse(text) as { rooms?: unknown } | null;
      if (typeof data?.rooms !== 'object' || data.rooms === null) throw new Error('no "rooms" in it');
      rooms = Object.entries(data.rooms).map(([room, table]) => [room, tableFrom(table)]);
    } catch (err) {
      this.log.error({ err, file: json }, 'the old top scores file is not valid; not imported, left as it is');
      return;
    }
    const at = Math.floor(mtime);
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      const keep = db.prepare('INSERT INTO top_scores (room, entries, updated_at) VALUES (?, ?, ?) ON CONFLICT (room) DO NOTHING');
      for (const [room, table] of rooms) {
        if (table.length === 0) continue;
        keep.run(room, JSON.stringify(table), at);
        for (const e of table) this.#sql.scorePut.run(room, e.name, utcDay(at), e.score, at);
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      const why = err instanceof Error ? err.message : String(err);
      throw new StoreError(this.file, `cannot import ${json} into ${this.file}: ${why}`);
    }
    try {
      renameSync(json, json + IMPORTED_SUFFIX);
    } catch (err) {
      // Importing again next time changes nothing (the same lines, kept only if better).
      this.log.warn({ err, file: json }, 'imported the old top scores but could not rename the file');
    }
    this.log.info({ file: json, rooms: rooms.length }, 'old top scores imported into the database');
  }
}

/** The valid lines of a saved table, at most TOP_SCORES. */
function tableFrom(table: unknown): TopEntry[] {
  if (!Array.isArray(table)) return [];
  return table.filter((e): e is TopEntry => typeof e?.name === 'string' && Number.isInteger(e?.score) && e.score > 0).slice(0, TOP_SCORES);
}
