// Where top scores outlive their rooms and the process: one small JSON file in DATA_DIR,
// written at most every SAVE_DELAY_MS after a change and once more at shutdown. Writes go to a
// temporary file that is then renamed over the old one, so a crash never leaves half a file.
// If the directory cannot be written the game goes on and the store says so in the log once.
// With dataDir null (tests) everything stays in memory.
// Tutorial: docs/tutorial/03-server.md

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { TOP_SCORES, type TopEntry } from '@snakepit/shared';

export const SAVE_DELAY_MS = 5000;
/** Rooms whose tables are kept; the least recently changed go first. */
export const MAX_STORED_ROOMS = 10_000;
const FILE = 'top-scores.json';

interface StoreLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class TopScoreStore {
  readonly #tables = new Map<string, readonly TopEntry[]>();
  readonly #file: string | null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #failed = false;

  constructor(
    dataDir: string | null,
    private readonly log: StoreLog,
  ) {
    this.#file = dataDir === null ? null : join(dataDir, FILE);
    if (this.#file) this.#load(this.#file);
  }

  get(room: string): readonly TopEntry[] {
    return this.#tables.get(room) ?? [];
  }

  set(room: string, table: readonly TopEntry[]): void {
    this.#tables.delete(room); // re-insert: Map order is recency order
    this.#tables.set(room, table);
    if (this.#tables.size > MAX_STORED_ROOMS) this.#tables.delete(this.#tables.keys().next().value!);
    if (this.#file && !this.#timer) {
      this.#timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
      this.#timer.unref();
    }
  }

  /** Writes now if anything changed since the last write. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    const pending = this.#timer !== null;
    this.#timer = null;
    if (!pending || !this.#file) return;
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      const tmp = `${this.#file}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: 1, rooms: Object.fromEntries(this.#tables) }));
      renameSync(tmp, this.#file);
      this.#failed = false;
    } catch (err) {
      if (!this.#failed) this.log.warn({ err, file: this.#file }, 'could not save top scores; keeping them in memory');
      this.#failed = true;
    }
  }

  #load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // first start: nothing saved yet
    }
    try {
      const data = JSON.parse(text) as { rooms?: Record<string, unknown> };
      for (const [room, table] of Object.entries(data.rooms ?? {})) {
        if (!Array.isArray(table)) continue;
        const entries = table
          .filter((e): e is TopEntry => typeof e?.name === 'string' && Number.isInteger(e?.score) && e.score > 0)
          .slice(0, TOP_SCORES);
        if (entries.length) this.#tables.set(room, entries);
      }
      this.log.info({ file, rooms: this.#tables.size }, 'top scores loaded');
    } catch (err) {
      this.log.warn({ err, file }, 'top scores file unreadable; starting with empty tables');
    }
  }
}
