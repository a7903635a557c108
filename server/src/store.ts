// Where top scores outlive their rooms and the process: one JSON file in DATA_DIR, written at
// most every SAVE_DELAY_MS after a change and at shutdown (flush). Must not hold up the rooms'
// ticks: a write serializes a slice of rooms per turn of the event loop and goes through
// fs/promises to a temporary file renamed over the old one (a crash leaves one whole file), one
// write at a time. An unwritable directory is logged once and the game goes on. A file that
// exists but cannot be read or parsed is logged as an error and never written over: scores stay
// in memory until a person fixes or removes it and restarts. dataDir null (tests): memory only.
// Tutorial: docs/tutorial/03-server.md

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TOP_SCORES, type TopEntry } from '@snakepit/shared';

export const SAVE_DELAY_MS = 5000;
/** Rooms whose tables are kept; the least recently changed go first. */
export const MAX_STORED_ROOMS = 10_000;
/**
 * Rooms serialized between two turns of the event loop while writing: 10,000 full tables take
 * tens of ms to stringify at once, a hundred well under one (store.test.ts prints the longest
 * pause a write of 10,000 rooms causes).
 */
export const ROOMS_PER_SLICE = 100;
const FILE = 'top-scores.json';

interface StoreLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class TopScoreStore {
  readonly #tables = new Map<string, readonly TopEntry[]>();
  /** Where to write, or null to keep everything in memory. */
  readonly #file: string | null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The write in flight, if any. */
  #writing: Promise<void> | null = null;
  /** Changed since the last write began. */
  #dirty = false;
  #failed = false;

  constructor(
    dataDir: string | null,
    private readonly log: StoreLog,
  ) {
    const file = dataDir === null ? null : join(dataDir, FILE);
    // Read once, before any room runs: blocking here holds up no tick.
    this.#file = file && this.#load(file) ? file : null;
  }

  get(room: string): readonly TopEntry[] {
    return this.#tables.get(room) ?? [];
  }

  set(room: string, table: readonly TopEntry[]): void {
    this.#tables.delete(room); // re-insert: Map order is recency order
    this.#tables.set(room, table);
    if (this.#tables.size > MAX_STORED_ROOMS) this.#tables.delete(this.#tables.keys().next().value!);
    this.#dirty = true;
    this.#schedule();
  }

  /** Resolves once everything changed so far is on disk (or failed to get there, logged). */
  async flush(): Promise<void> {
    while (this.#writing || (this.#dirty && this.#file)) await (this.#writing ?? this.#start());
  }

  #schedule(): void {
    if (!this.#file || this.#timer || this.#writing) return;
    this.#timer = setTimeout(() => void this.#start(), SAVE_DELAY_MS);
    this.#timer.unref();
  }

  /** Starts a write of the tables as they are now, unless one is in flight; resolves when it ends. */
  #start(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#writing) {
      this.#dirty = false;
      this.#writing = this.#write(this.#file!).finally(() => {
        this.#writing = null;
        if (this.#dirty) this.#schedule();
      });
    }
    return this.#writing;
  }

  async #write(file: string): Promise<void> {
    // The tables are immutable values: copying the references now fixes what this write saves.
    const rooms = [...this.#tables];
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      const handle = await open(tmp, 'w');
      try {
        await handle.write('{"version":1,"rooms":{');
        for (let i = 0; i < rooms.length; i += ROOMS_PER_SLICE) {
          const slice = rooms.slice(i, i + ROOMS_PER_SLICE).map(([room, table]) => `${JSON.stringify(room)}:${JSON.stringify(table)}`);
          await handle.write((i > 0 ? ',' : '') + slice.join(','));
        }
        await handle.write('}}');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
      this.#failed = false;
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      if (!this.#failed) this.log.warn({ err, file }, 'could not save top scores; keeping them in memory');
      this.#failed = true;
    }
  }

  /** Fills the tables from `file`; false if the file exists but cannot be used. */
  #load(file: string): boolean {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      // Nothing saved at that path yet (a first start): the first write says if the directory works.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return true;
      this.log.error({ err, file }, 'could not read the top scores file; keeping scores in memory only and leaving the file as it is');
      return false;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      this.log.error({ err, file }, 'the top scores file is not valid JSON; keeping scores in memory only and leaving the file as it is');
      return false;
    }
    const rooms = (data as { rooms?: unknown } | null)?.rooms;
    if (typeof rooms !== 'object' || rooms === null) {
      this.log.error({ file }, 'the top scores file has no "rooms"; keeping scores in memory only and leaving the file as it is');
      return false;
    }
    for (const [room, table] of Object.entries(rooms)) {
      if (!Array.isArray(table)) continue;
      const entries = table
        .filter((e): e is TopEntry => typeof e?.name === 'string' && Number.isInteger(e?.score) && e.score > 0)
        .slice(0, TOP_SCORES);
      if (entries.length) this.#tables.set(room, entries);
    }
    this.log.info({ file, rooms: this.#tables.size }, 'top scores loaded');
    return true;
  }
}
