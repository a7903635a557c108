// The default store: one SQLite database, DATA_DIR/snakepit.db, through node:sqlite (built into
// Node: no native build). WAL mode, so readers (the API, a backup with VACUUM INTO) never wait
// for the writer; the schema is versioned in PRAGMA user_version and MIGRATIONS run in order at
// open. Writes are queued in memory and go out every BATCH_MS, on an unref'd timer, never from a
// tick, to the writer thread (store/sqlite-writer.ts), which encodes them and commits each batch
// in one transaction. The batch's checkpoints and recordings are posted as objects a few
// milliseconds at a time, yielding to the event loop in between so the ticks due meanwhile run
// on time. This thread only reads, through its own connection. A batch that fails (read-only
// file, locked by another process) is logged once and kept for the next one: the game goes on. A
// file that cannot be opened stops start-up with a StoreError naming it. The old top-scores.json
// is imported once.
// Must not: wait on a lock, or on the writer (busy timeout 0; only flush() and close() await a batch).
// Tutorial: docs/tutorial/06-resume.md

import { mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
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
import { decodeCheckpoint } from './checkpoint.js';
import {
  type InputsRecord,
  type KeyframeRecord,
  type LifeRecord,
  type Replay,
  type ReplayStore,
  assemble,
  decodeInputs,
  decodeKeyframe,
} from './replays.js';
import type { FromWriter, ToWriter, WriteBatch, WriteItem, WriterData } from './sqlite-writer.js';

export const DB_FILE = 'snakepit.db';
/** The file the store kept before the database; imported once, then renamed with IMPORTED_SUFFIX. */
export const JSON_FILE = 'top-scores.json';
export const IMPORTED_SUFFIX = '.imported';
/** Distinct leaderboard answers kept between two batches (the join screens poll the same few). */
const CACHE_MAX = 500;

/** Bytes of recorded data kept (`bytes`): what REPLAY_MAX_MB caps. Read here, and by the writer when it prunes. */
export const REPLAY_BYTES_SQL =
  'SELECT (SELECT COALESCE(SUM(length(data)), 0) FROM replay_keyframes) + (SELECT COALESCE(SUM(length(data)), 0) FROM replay_inputs) AS bytes';

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

/** What this thread reads; the writes are the writer thread's. */
interface Statements {
  topGet: StatementSync;
  scorePut: StatementSync;
  board: StatementSync;
  checkpointAll: StatementSync;
  lifeGet: StatementSync;
  keyframeBefore: StatementSync;
  inputsBetween: StatementSync;
  replayBytes: StatementSync;
}

/** What one batch writes. */
interface Queued {
  readonly top: Map<string, readonly TopEntry[]>;
  readonly scores: Map<string, ScoreRecord>;
  /** A checkpoint to write, or null to delete the room's. */
  readonly checkpoints: Map<string, RoomCheckpoint | null>;
  readonly keyframes: KeyframeRecord[];
  readonly inputs: InputsRecord[];
  readonly lives: LifeRecord[];
  /** Recordings that ended: their data goes unless a life needs it. */
  readonly ended: string[];
}

/** The batch's objects that the writer encodes, as it is sent them. */
function* itemsOf(q: Queued): Generator<WriteItem> {
  for (const checkpoint of q.checkpoints.values()) if (checkpoint !== null) yield { type: 'checkpoint', checkpoint };
  for (const keyframe of q.keyframes) yield { type: 'keyframe', keyframe };
  for (const inputs of q.inputs) yield { type: 'inputs', inputs };
}

function nothingQueued(): Queued {
  return { top: new Map(), scores: new Map(), checkpoints: new Map(), keyframes: [], inputs: [], lives: [], ended: [] };
}

function isEmpty(q: Queued): boolean {
  return q.top.size + q.scores.size + q.checkpoints.size + q.keyframes.length + q.inputs.length + q.lives.length + q.ended.length === 0;
}

/** The writer thread's module: the built .js next to this file, or the .ts when run from source. */
const WRITER_URL = new URL(`./sqlite-writer${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export interface SqliteStoreOptions {
  /** The clock for "today" and timestamps (tests fix it). */
  readonly now?: () => number;
  /** How long one slice of handing a batch to the writer may hold the event loop (tests set 0: yield after each object). */
  readonly sliceMs?: number;
}

/** How long one slice of handing a batch to the writer may hold the event loop, in ms (a tick is 100). */
const SLICE_MS = 2;

export class SqliteStore implements GameStore, ReplayStore {
  readonly durable = true;
  readonly counters: StoreCounters = { batches: 0, failures: 0, checkpointAt: null };
  onBatch?: (durationMs: number) => void;
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #sql: Statements;
  readonly #now: () => number;
  /** What the next batch writes. */
  #queued = nothingQueued();
  /** The batch the writer thread has now, until it answers: read like the queue, put back if it fails. */
  #sending: Queued | null = null;
  /** Settles when the batch being sent has its answer; only one is sent at a time. */
  #sent: Promise<void> | null = null;
  readonly #sliceMs: number;
  #writer: Worker | null = null;
  /** The writer's answers still to come, in the order they will come. */
  readonly #answers: ((a: FromWriter) => void)[] = [];
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
    this.#sliceMs = options.sliceMs ?? SLICE_MS;
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
      checkpointAll: db.prepare('SELECT room, data FROM checkpoints ORDER BY room'),
      lifeGet: db.prepare(
        'SELECT id, recording, room, player, name, score, from_tick AS "from", to_tick AS "to", at FROM replay_lives WHERE id = ?',
      ),
      keyframeBefore: db.prepare('SELECT data FROM replay_keyframes WHERE recording = ? AND tick <= ? ORDER BY tick DESC LIMIT 1'),
      inputsBetween: db.prepare(
        'SELECT from_tick AS "from", to_tick AS "to", data FROM replay_inputs WHERE recording = ? AND to_tick > ? AND from_tick < ? ORDER BY from_tick',
      ),
      replayBytes: db.prepare(REPLAY_BYTES_SQL),
    };
    this.#importJson(join(dataDir, JSON_FILE));
  }

  topScores(room: string): readonly TopEntry[] {
    const queued = this.#queued.top.get(room) ?? this.#sending?.top.get(room);
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
    this.#queued.top.set(room, table);
    this.#schedule();
  }

  recordScore(s: ScoreRecord): void {
    if (s.score <= 0) return;
    keepBest(this.#queued.scores, s);
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
    for (const c of rooms) this.#queued.checkpoints.set(c.room, c);
    if (rooms.length > 0) this.#schedule();
  }

  deleteCheckpoint(room: string): void {
    this.#queued.checkpoints.set(room, null);
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
    this.#queued.keyframes.push(k);
    this.#schedule();
  }

  saveInputs(i: InputsRecord): void {
    this.#queued.inputs.push(i);
    this.#schedule();
  }

  saveLife(life: LifeRecord): void {
    this.#queued.lives.push(life);
    this.#schedule();
  }

  endRecording(recording: string): void {
    this.#queued.ended.push(recording);
    this.#schedule();
  }

  /** Writes what is queued first, so a life that ended a moment ago is found. */
  async replay(id: string): Promise<Replay | null> {
    await this.flush();
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

  /** On the writer thread, after what is queued now. */
  async pruneReplays(olderThan: number, maxBytes: number): Promise<void> {
    await this.flush();
    if (this.#closed) return;
    const answer = await this.#ask({ type: 'prune', olderThan, maxBytes });
    if (answer.type === 'failed')
      this.log.warn({ err: writerError(answer), file: this.file }, 'could not prune old replays; trying again later');
  }

  replayBytes(): number {
    return Number((this.#sql.replayBytes.get() as { bytes: number }).bytes);
  }

  /** Sends what is queued now (after the batch already on its way, if any) and waits for the commit. */
  async flush(): Promise<void> {
    await this.#send();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const writer = this.#writer;
    this.#writer = null;
    if (writer) {
      const exited = new Promise((resolve) => writer.once('exit', resolve));
      writer.postMessage({ type: 'close' } satisfies ToWriter);
      writer.ref();
      await exited;
    }
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
      void this.#send(true);
    }, BATCH_MS);
    this.#timer.unref();
  }

  /**
   * Hands everything queued to the writer as one batch, after the batch before it has its answer.
   * `sliced`: post its objects a slice (SLICE_MS) at a time, letting the event loop run
   * (ticks, sockets) between slices; flush() and close() post them at once.
   */
  async #send(sliced = false): Promise<void> {
    while (this.#sent) await this.#sent;
    if (this.#closed || isEmpty(this.#queued)) return;
    const batch = this.#queued;
    this.#queued = nothingQueued();
    this.#sending = batch;
    const sent = this.#commit(batch, sliced);
    this.#sent = sent;
    try {
      await sent;
    } finally {
      this.#sending = null;
      this.#sent = null;
    }
  }

  async #commit(q: Queued, sliced: boolean): Promise<void> {
    const now = this.#now();
    let answer: FromWriter;
    try {
      const writer = this.#writer ?? this.#startWriter();
      let items = 0;
      let slice = performance.now();
      for (const item of itemsOf(q)) {
        writer.postMessage(item);
        items++;
        if (sliced && performance.now() - slice >= this.#sliceMs) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
      }
      const message: WriteBatch = {
        type: 'batch',
        now,
        items,
        top: [...q.top].map(([room, table]) => [room, JSON.stringify(table)]),
        scores: [...q.scores.values()].map((s) => [s.room, s.name, utcDay(s.at), s.score, s.at]),
        deletes: [...q.checkpoints].filter(([, c]) => c === null).map(([room]) => room),
        lives: q.lives.map((l) => [l.id, l.recording, l.room, l.player, l.name, l.score, l.from, l.to, l.at]),
        ended: q.ended,
      };
      // A writer that died while the items went over has lost them: the batch fails and is sent again whole.
      answer =
        this.#writer === writer ? await this.#ask(message) : { type: 'failed', message: 'the writer thread stopped during the batch' };
    } catch (err) {
      // Posting threw (a thread that could not start, an object that cannot be copied): the same
      // as a batch the writer refused, never an exception out of a timer.
      answer = { type: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
    if (answer.type === 'failed') {
      this.counters.failures++;
      if (!this.#failing)
        this.log.warn(
          { err: writerError(answer), file: this.file },
          'could not write to the database; keeping the changes in memory and trying again',
        );
      this.#failing = true;
      this.#putBack(q);
      this.#schedule();
      return;
    }
    if (this.#failing) this.log.info({ file: this.file }, 'writing to the database again');
    this.#failing = false;
    this.#cache.clear();
    this.counters.batches++;
    if ([...q.checkpoints.values()].some((c) => c !== null)) this.counters.checkpointAt = now;
    this.onBatch?.(answer.ms);
  }

  /** A batch that failed goes back in front of what was queued since; newer tables and checkpoints win. */
  #putBack(q: Queued): void {
    const now = this.#queued;
    for (const [room, table] of q.top) if (!now.top.has(room)) now.top.set(room, table);
    for (const s of q.scores.values()) keepBest(now.scores, s);
    for (const [room, c] of q.checkpoints) if (!now.checkpoints.has(room)) now.checkpoints.set(room, c);
    // concat, not unshift(...): a long outage queues more than a call can take as arguments.
    this.#queued = {
      ...now,
      keyframes: q.keyframes.concat(now.keyframes),
      inputs: q.inputs.concat(now.inputs),
      lives: q.lives.concat(now.lives),
      ended: q.ended.concat(now.ended),
    };
  }

  /** Posts one request to the writer thread (starting it if need be) and waits for its answer. */
  #ask(message: ToWriter): Promise<FromWriter> {
    const writer = this.#writer ?? this.#startWriter();
    return new Promise((resolve) => {
      this.#answers.push(resolve);
      // Held open only while an answer is due, so an idle store never keeps the process alive.
      writer.ref();
      writer.postMessage(message);
    });
  }

  #startWriter(): Worker {
    const writer = new Worker(WRITER_URL, { workerData: { file: this.file } satisfies WriterData, name: 'snakepit-sqlite-writer' });
    writer.unref();
    writer.on('message', (answer: FromWriter) => {
      this.#answers.shift()?.(answer);
      if (this.#answers.length === 0) writer.unref();
    });
    // A writer that died fails what it had; the next batch starts another.
    const died = (why: string) => {
      if (this.#writer === writer) this.#writer = null;
      for (const answer of this.#answers.splice(0)) answer({ type: 'failed', message: why });
    };
    writer.on('error', (err) => died(`the writer thread failed: ${err.message}`));
    writer.on('exit', (code) => died(`the writer thread exited (code ${code})`));
    this.#writer = writer;
    return writer;
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

/** Queues `s` unless a better score of the same room, name and day is queued already. */
function keepBest(scores: Map<string, ScoreRecord>, s: ScoreRecord): void {
  const key = `${s.room}\0${s.name}\0${utcDay(s.at)}`;
  const had = scores.get(key);
  if (!had || s.score > had.score) scores.set(key, s);
}

/** A failed answer of the writer thread as an Error, for the log. */
function writerError(answer: { message: string; code?: string }): Error {
  return Object.assign(new Error(answer.message), answer.code ? { code: answer.code } : {});
}

/** The valid lines of a saved table, at most TOP_SCORES. */
function tableFrom(table: unknown): TopEntry[] {
  if (!Array.isArray(table)) return [];
  return table.filter((e): e is TopEntry => typeof e?.name === 'string' && Number.isInteger(e?.score) && e.score > 0).slice(0, TOP_SCORES);
}
