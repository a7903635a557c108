// The SQLite store's writer: a thread of its own that encodes a batch (checkpoints and keyframes
// as JSON, recordings deflated) and commits it in one transaction. Encoding 200 rooms' keyframes
// is tens of ms of work and megabytes of short-lived strings, and a commit now and then ends in
// SQLite's WAL checkpoint (copying the log into the file, with an fsync): none of it may run on
// the thread the rooms tick on. That thread (store/sqlite.ts) posts the batch's objects here as
// they are (structured clone: copied outside its JS heap, so they leave it no garbage), a few ms
// at a time, then the batch's rows; it reads through a connection of its own (WAL: readers never
// wait for this writer). Batches and prunes are answered in the order they came.
// Must not: wait on a lock (busy timeout 0: a batch that fails is answered `failed`, and the main
// thread keeps it for the next one).
// Tutorial: docs/tutorial/06-resume.md

import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import { type RoomCheckpoint, encodeCheckpoint } from './checkpoint.js';
import { type InputsRecord, type KeyframeRecord, inputsJson, keyframeJson } from './replays.js';
import { REPLAY_BYTES_SQL } from './sqlite.js';

/** One of the next batch's objects, sent ahead of it; kept until the batch comes. */
export type WriteItem =
  | { readonly type: 'checkpoint'; readonly checkpoint: RoomCheckpoint }
  | { readonly type: 'keyframe'; readonly keyframe: KeyframeRecord }
  | { readonly type: 'inputs'; readonly inputs: InputsRecord };

/** One batch: the items sent since the last, and these rows. */
export interface WriteBatch {
  readonly type: 'batch';
  /** ms since the epoch: each row's "written at". */
  readonly now: number;
  /** How many items were sent for this batch (a check that none went astray). */
  readonly items: number;
  /** room, its top-score table as JSON. */
  readonly top: readonly [string, string][];
  /** room, name, UTC day, score, at. */
  readonly scores: readonly [string, string, string, number, number][];
  /** Rooms whose checkpoint goes (the room ended). */
  readonly deletes: readonly string[];
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

export type ToWriter = WriteItem | WriteBatch | PruneRequest | { readonly type: 'close' };

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

  /** One transaction with the whole batch and its items; throws (after rolling back) if any of it fails. */
  write(b: WriteBatch, items: readonly WriteItem[]): void {
    if (items.length !== b.items) throw new Error(`a batch of ${b.items} items came with ${items.length}`);
    // Encoded before the transaction opens, so the write lock is held only for the writes.
    const checkpoints: [string, string][] = [];
    const keyframes: [string, number, Buffer][] = [];
    const inputs: [string, number, number, Buffer][] = [];
    for (const item of items) {
      if (item.type === 'checkpoint') checkpoints.push([item.checkpoint.room, encodeCheckpoint(item.checkpoint)]);
      else if (item.type === 'keyframe') {
        const k = item.keyframe;
        keyframes.push([k.recording, k.state.tick, deflateRawSync(keyframeJson(k))]);
      } else {
        const i = item.inputs;
        inputs.push([i.recording, i.from, i.to, deflateRawSync(inputsJson(i.ticks))]);
      }
    }
    this.#transaction(() => {
      const sql = this.#sql;
      for (const [room, json] of b.top) sql.topPut.run(room, json, b.now);
      for (const s of b.scores) sql.scorePut.run(...s);
      for (const room of b.deletes) sql.checkpointDelete.run(room);
      for (const [room, json] of checkpoints) sql.checkpointPut.run(room, b.now, json);
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
      const { bytes } = db.prepare(REPLAY_BYTES_SQL).get() as { bytes: number };
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

/** Answers each batch and prune in order; after `close` the thread ends (nothing else keeps it alive). */
function serve(port: NonNullable<typeof parentPort>, writer: Writer): void {
  let items: WriteItem[] = [];
  port.on('message', (m: ToWriter) => {
    if (m.type === 'checkpoint' || m.type === 'keyframe' || m.type === 'inputs') {
      items.push(m);
      return;
    }
    if (m.type === 'close') {
      writer.close();
      port.close();
      return;
    }
    const started = performance.now();
    let answer: FromWriter;
    try {
      if (m.type === 'batch') {
        // Whatever happens, these items are this batch's: a batch that fails is sent again whole.
        const mine = items;
        items = [];
        writer.write(m, mine);
      } else writer.prune(m);
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
