// The store of a cluster member (REDIS_URL set): the same GameStore as SQLite's, kept in Redis so
// that every instance sees one set of leaderboards (sorted sets, best score per name) and any
// instance can bring back a room another one ran (its checkpoint, with the resume tokens hashed).
// Checkpoint writes are fenced: a Lua script writes only while this instance holds the room's
// lease, so an instance that lost a room cannot overwrite the new owner's saves. Writes go out
// at once, in the order made, on the member's one connection (the lease release that follows a
// room's last save cannot overtake it); a write that fails is counted and logged, not retried.
// Must not: restore rooms at start (loadCheckpoints is empty: a room comes back when a socket for
// it reaches an instance, cluster/member.ts), or block the tick (every call here is async).
// Tutorial: docs/tutorial/09-scaling-out.md (README: "Past one machine")

import { TOP_SCORES, type TopEntry } from '@snakepit/shared';
import { keys, type Redis } from '../cluster/keys.js';
import {
  type GameStore,
  type LeaderboardEntry,
  type LeaderboardQuery,
  type RoomCheckpoint,
  type ScoreRecord,
  type StoreCounters,
  type StoreLog,
  utcDay,
} from '../store.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';

/** A checkpoint nobody came back for within this long is forgotten, in ms. */
export const CHECKPOINT_TTL_MS = 60 * 60 * 1000;
/** A day's leaderboard is kept this long after its first score, in ms (it is "today" for one). */
const DAY_BOARD_TTL_MS = 2 * 24 * 60 * 60 * 1000;

/** Sets (or deletes, without ARGV[2]) a checkpoint only while ARGV[1] holds the room's lease. */
const FENCED_CHECKPOINT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) else redis.call('DEL', KEYS[2]) end
return 1`;

/** Keeps a name's best score on a board, with the room and time of the earliest life that made it. */
const RECORD_SCORE = `
local had = redis.call('ZSCORE', KEYS[1], ARGV[1])
if (not had) or tonumber(ARGV[2]) > tonumber(had) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
end
if ARGV[4] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[4], 'NX')
  redis.call('PEXPIRE', KEYS[2], ARGV[4], 'NX')
end
return 1`;

export interface RedisStoreOptions {
  /** This instance's id: the lease value checkpoint writes are fenced with. */
  readonly instance: string;
  readonly now?: () => number;
}

export class RedisStore implements GameStore {
  readonly durable = true;
  readonly counters: StoreCounters = { batches: 0, failures: 0, checkpointAt: null };
  onBatch?: (durationMs: number) => void;
  /** Top-score tables of the rooms made here, read ahead by prefetch() (topScores is synchronous). */
  readonly #top = new Map<string, readonly TopEntry[]>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #now: () => number;
  #failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly log: StoreLog,
    private readonly options: RedisStoreOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  /** Reads a room's top scores into memory before the room is made here (cluster/member.ts). */
  async prefetch(room: string): Promise<void> {
    const text = await this.redis.get(keys.top(room));
    this.#top.set(room, text ? tableFrom(JSON.parse(text)) : []);
  }

  topScores(room: string): readonly TopEntry[] {
    return this.#top.get(room) ?? [];
  }

  setTopScores(room: string, table: readonly TopEntry[]): void {
    this.#top.set(room, table);
    this.#write('top scores', () => this.redis.set(keys.top(room), JSON.stringify(table)));
  }

  /** Forgets a room's table once the room is no longer here. */
  forget(room: string): void {
    this.#top.delete(room);
  }

  recordScore(s: ScoreRecord): void {
    if (s.score <= 0) return;
    const day = utcDay(s.at);
    const details = `${s.room}|${s.at}`;
    this.#write('a score', () =>
      Promise.all(
        [
          [s.room, null],
          [s.room, day],
          [null, null],
          [null, day],
        ].map(([room, d]) =>
          this.redis.eval(RECORD_SCORE, {
            keys: [keys.board(room ?? null, d ?? null), keys.boardDetails(room ?? null, d ?? null)],
            arguments: [s.name, String(s.score), details, d ? String(DAY_BOARD_TTL_MS) : '0'],
          }),
        ),
      ),
    );
  }

  async leaderboard(q: LeaderboardQuery): Promise<LeaderboardEntry[]> {
    const day = q.period === 'today' ? utcDay(this.#now()) : null;
    const board = keys.board(q.room ?? null, day);
    // Every name scoring at least the limit-th best, so that ties at the cut are ordered like
    // the other stores do (earliest first), not by Redis's order of equal scores.
    const top = await this.redis.zRangeWithScores(board, 0, q.limit - 1, { REV: true });
    if (top.length === 0) return [];
    const floor = top.at(-1)!.score;
    const all = await this.redis.zRangeWithScores(board, '+inf', floor, { BY: 'SCORE', REV: true });
    const details = await this.redis.hmGet(
      keys.boardDetails(q.room ?? null, day),
      all.map((e) => e.value),
    );
    return all
      .map((e, i) => {
        const [room = '', at = '0'] = (details[i] ?? '').split('|');
        return { name: e.value, score: e.score, room, at: Number(at) };
      })
      .sort((a, b) => b.score - a.score || a.at - b.at || (a.name < b.name ? -1 : 1))
      .slice(0, q.limit);
  }

  saveCheckpoints(rooms: readonly RoomCheckpoint[]): void {
    for (const c of rooms) {
      this.#write('a checkpoint', async () => {
        const ok = await this.redis.eval(FENCED_CHECKPOINT, {
          keys: [keys.lease(c.room), keys.checkpoint(c.room)],
          arguments: [this.options.instance, encodeCheckpoint(c), String(CHECKPOINT_TTL_MS)],
        });
        if (ok === 1) this.counters.checkpointAt = this.#now();
        else this.log.warn({ room: c.room }, 'checkpoint not saved: this instance no longer holds the room');
      });
    }
  }

  deleteCheckpoint(room: string): void {
    this.#write('a checkpoint removal', () =>
      this.redis.eval(FENCED_CHECKPOINT, { keys: [keys.lease(room), keys.checkpoint(room)], arguments: [this.options.instance] }),
    );
  }

  /** Rooms come back one at a time, when a socket for one reaches an instance: see checkpoint(). */
  async loadCheckpoints(): Promise<RoomCheckpoint[]> {
    return [];
  }

  /** The saved checkpoint of `room`, or null; a damaged one is logged and deleted. */
  async checkpoint(room: string): Promise<RoomCheckpoint | null> {
    const text = await this.redis.get(keys.checkpoint(room));
    if (text === null) return null;
    try {
      return decodeCheckpoint(text);
    } catch (err) {
      this.log.warn({ err, room }, 'dropping a checkpoint that cannot be restored');
      await this.redis.del(keys.checkpoint(room));
      return null;
    }
  }

  /** Waits for every write sent so far. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Flushes; the connection itself belongs to the cluster member, which closes it. */
  async close(): Promise<void> {
    await this.flush();
  }

  sizeBytes(): number {
    return 0;
  }

  #write(what: string, send: () => Promise<unknown>): void {
    const started = performance.now();
    const p = send().then(
      () => {
        this.counters.batches++;
        if (this.#failing) this.log.info({}, 'writing to Redis again');
        this.#failing = false;
        this.onBatch?.(performance.now() - started);
      },
      (err: unknown) => {
        this.counters.failures++;
        if (!this.#failing) this.log.warn({ err }, `could not write ${what} to Redis; it is lost, the game goes on`);
        this.#failing = true;
      },
    );
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }
}

/** The valid lines of a saved table, at most TOP_SCORES. */
function tableFrom(table: unknown): TopEntry[] {
  if (!Array.isArray(table)) return [];
  return table.filter((e): e is TopEntry => typeof e?.name === 'string' && Number.isInteger(e?.score) && e.score > 0).slice(0, TOP_SCORES);
}
