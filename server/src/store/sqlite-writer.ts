// The SQLite store's writer: a thread of its own that deflates a batch's recordings and commits
// the batch in one transaction. Compressing 200 rooms' keyframes is tens of ms of work, and a
// commit now and then ends in SQLite's WAL checkpoint (copying the log into the file, with an
// fsync): neither may run on the thread the rooms tick on. The main thread (store/sqlite.ts)
// queues writes, turns them into JSON a few ms at a time, and posts the batch here; it reads
// through a connection of its own (WAL: readers never wait for this writer). Requests are
// answered in the order they came, one at a time.
// Must not: wait on a lock (busy timeout 0: a batch that fails is answered `failed`, and the main
// thread keeps it for the next one).
// Tutorial: docs/tutorial/06-resume.md

import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';

/** One batch: everything queued since the last, as rows, with JSON where a blob goes. */
export interface WriteBatch {
  readonly type: 'batch';
  /** ms since the epoch: each row's "written at". */
  readonly now: number;
  /** room, its top-score table as JSON. */
  readonly top: readonly [string, string][];
  /** room, name, UTC day, score, at. */
  readonly scores: readonly [string, string, string, number, number][];
  /** room, its checkpoint as JSON, or null to delete it. */
  readonly checkpoints: readonly [string, string | null][];
  /** recording, tick, the keyframe as JSON (deflated here). */
  readonly keyframes: readonly [string, number, string][];
  /** recording, from tick, to tick, the inputs as JSON (deflated here). */
  readonly inputs: readonly [string, number, number, string][];
  /** id, recording, room, player, name, score, from tick, to tick, at. */
  readonly lives: readonly [string, string, string, number, string, number, number, number, number][];
  /** Recordings that ended: their data goes unless a life needs it. */
  readonly ended: readonly string[];
}

/** Deletes recordings older than `olderThan`, then the oldest until at most `maxBytes` remain. */
export interface PruneRequest {
  readonly type: 'prune';
  readonly olderThan: number;
  readonly maxBytes: number;
}

export type ToWriter = WriteBatch | PruneRequest | { readonly type: 'close' };

/** The answer to each request, in order: done (with how long the transaction took) or failed. */
export type FromWriter =
  | { readonly type: 'done'; readonly ms: number }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string };

export interface WriterData {
  readonly file: string;
}

class Writer {
  readonly #db: DatabaseSync;
  readonly #sql: Record<
    | 'topPut'
    | 'scorePut'
    | 'checkpointPut'
    | 'checkpointDelete'
    | 'keyframePut'
    | 'inputsPut'
    | 'lifePut'
    | 'keyframesUnused'
    | 'inputsUnused',
    StatementSync
  >;

  /** The file exists and is migrated: the main thread opened it first. */
  constructor(file: string) {
    const db = new DatabaseSync(file, { timeout: 0 });
    db.exec('PRAGMA journal_mode = WAL');
    // With WAL, NORMAL loses at most the last batches on power loss, never the file's integrity.
    db.exec('PRAGMA synchronous = NORMAL');
    this.#db = db;
    this.#sql = {
      topPut: db.prepare(
        'INSERT INTO top_scores (room, entries, updated_at) VALUES (?, ?, ?) ON CONFLICT (room) DO UPDATE SET entries = excluded.entries, updated_at = excluded.updated_at',
      ),
      scorePut: db.prepare(
        `INSERT INTO scores (room, name, day, score, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (room, name, day) DO UPDATE SET score = excluded.score, at = excluded.at WHERE excluded.score > scores.score`,
      ),
      checkpointPut: db.prepare(
        'INSERT INTO checkpoints (room, saved_at, data) VALUES (?, ?, ?) ON CONFLICT (room) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data',
      ),
      checkpointDelete: db.prepare('DELETE FROM checkpoints WHERE room = ?'),
      keyframePut: db.prepare('INSERT OR REPLACE INTO replay_keyframes (recording, tick, at, data) VALUES (?, ?, ?, ?)'),
      inputsPut: db.prepare('INSERT OR REPLACE INTO replay_inputs (recording, from_tick, to_tick, at, data) VALUES (?, ?, ?, ?, ?)'),
      lifePut: db.prepare(
        'INSERT OR REPLACE INTO replay_lives (id, recording, room, player, name, score, from_tick, to_tick, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      keyframesUnused: db.prepare(
        'DELETE FROM replay_keyframes WHERE recording = $r AND NOT EXISTS (SELECT 1 FROM replay_lives WHERE recording = $r)',
      ),
      inputsUnused: db.prepare(
        'DELETE FROM replay_inputs WHERE recording = $r AND NOT EXISTS (SELECT 1 FROM replay_lives WHERE recording = $r)',
      ),
    };
  }

  /** One transaction with the whole batch; throws (after rolling back) if any of it fails. */
  write(b: WriteBatch): void {
    // Compressed before the transaction opens, so the write lock is held only for the writes.
    const keyframes = b.keyframes.map(([recording, tick, json]) => [recording, tick, deflateRawSync(json)] as const);
    const inputs = b.inputs.map(([recording, from, to, json]) => [recording, from, to, deflateRawSync(json)] as const);
    this.#transaction(() => {
      const sql = this.#sql;
      for (const [room, json] of b.top) sql.topPut.run(room, json, b.now);
      for (const s of b.scores) sql.scorePut.run(...s);
      for (const [room, json] of b.checkpoints) {
        if (json === null) sql.checkpointDelete.run(room);
        else sql.checkpointPut.run(room, b.now, json);
      }
      for (const [recording, tick, blob] of keyframes) sql.keyframePut.run(recording, tick, b.now, blob);
      for (const [recording, from, to, blob] of inputs) sql.inputsPut.run(recording, from, to, b.now, blob);
      for (const l of b.lives) sql.lifePut.run(...l);
      // After the lives, so a life written in this batch keeps its recording.
      for (const r of b.ended) {
        sql.keyframesUnused.run({ r });
        sql.inputsUnused.run({ r });
      }
    });
  }

  prune({ olderThan, maxBytes }: PruneRequest): void {
    const db = this.#db;
    this.#transaction(() => {
      let cutoff = olderThan;
      const { bytes } = db
        .prepare(
          'SELECT (SELECT COALESCE(SUM(length(data)), 0) FROM replay_keyframes) + (SELECT COALESCE(SUM(length(data)), 0) FROM replay_inputs) AS bytes',
        )
        .get() as { bytes: number };
      // Over the size: the newest rows that fit stay, everything older goes.
      if (Number(bytes) > maxBytes) {
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
    });
  }

  close(): void {
    this.#db.close();
  }

  #transaction(body: () => void): void {
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      body();
      db.exec('COMMIT');
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }
}

/** Answers each request in order; after `close` the thread ends (nothing else keeps it alive). */
function serve(port: NonNullable<typeof parentPort>, writer: Writer): void {
  port.on('message', (m: ToWriter) => {
    if (m.type === 'close') {
      writer.close();
      port.close();
      return;
    }
    const started = performance.now();
    let answer: FromWriter;
    try {
      if (m.type === 'batch') writer.write(m);
      else writer.prune(m);
      answer = { type: 'done', ms: performance.now() - started };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      answer = {
        type: 'failed',
        message: e instanceof Error ? e.message : String(e),
        code: typeof e?.code === 'string' ? e.code : undefined,
      };
    }
    port.postMessage(answer);
  });
}

if (parentPort) serve(parentPort, new Writer((workerData as WriterData).file));
