// One instance of a cluster (REDIS_URL set). It runs a room only while it holds the room's lease
// in Redis: taken when a socket for a room nobody holds arrives (SET if absent, LEASE_MS expiry,
// and the room's checkpoint restored here if another instance left one), renewed every RENEW_MS
// in one round trip for all rooms, released when the room ends or the instance drains. A lease
// that could not be renewed is given up LEASE_SAFETY_MS before Redis would let it expire: the
// room stops and its sockets close with 1012 (the pages come back, wherever the room is then),
// so two instances never tick one room. Each renewal also beats the instance's heartbeat and
// publishes its rooms: the directory (GET /api/rooms) forgets an instance DIRECTORY_TTL_MS after
// its last beat. Must not: let a room be made or ticked here without a lease; block a tick on
// Redis (every round trip is off the tick path, and a hung Redis only makes leases run out).
// Tutorial: docs/tutorial/09-scaling-out.md (README: "Past one machine")

import type { RoomInfo } from '../rooms/room.js';
import type { RoomRegistry } from '../rooms/registry.js';
import { StoreError, type StoreLog } from '../store.js';
import type { RedisStore } from '../store/redis.js';
import { keys, type Redis, redisClient } from './keys.js';
import type { Claim, RoomOwnership } from './ownership.js';

/** A lease's expiry in Redis, in ms: how long a room outlives a killed instance before moving. */
export const LEASE_MS = 4000;
/** Every lease is renewed this often, in ms. */
export const RENEW_MS = 1000;
/** A lease not renewed is given up this long before it could expire in Redis, in ms. */
export const LEASE_SAFETY_MS = 750;
/** How often leases are checked against their expiry, in ms. */
const GUARD_MS = 250;
/** An instance that has not beaten for this long is gone from the directory, in ms. */
export const DIRECTORY_TTL_MS = 5000;
/** A lease taken for a socket that never made its room is let go after this long, in ms. */
const ORPHAN_MS = 5000;
/** How long start-up waits for Redis before giving up, in ms. */
const CONNECT_DEADLINE_MS = 5000;
/** RFC 6455 "service restart": the page reconnects and resumes wherever the room is now. */
const CLOSE_RESTARTING = 1012;

/** Takes the lease if nobody holds it; returns the holder (this instance, or another). */
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return holder`;

/**
 * Renews every lease in KEYS: 1 renewed, 2 taken again (absent: Redis restarted empty, and
 * nobody else holds it), 0 another instance holds it.
 */
const RENEW = `
local out = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    out[i] = 1
  elseif not holder then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    out[i] = 2
  else
    out[i] = 0
  end
end
return out`;

/** Deletes the lease if this instance holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** What /metrics reports about the member (metrics.ts). */
export interface ClusterCounters {
  readonly leases: number;
  renewFailures: number;
  restored: number;
  refusals: number;
  /** The last renewal's round trip to Redis, in ms. */
  rttMs: number;
}

/** A room in the cluster's directory: what /api/rooms lists, with the instance that runs it. */
export interface ListedRoom extends RoomInfo {
  readonly instance: string;
}

interface Lease {
  /** performance.now() at which Redis may let it expire (from when the last renewal was sent). */
  validUntil: number;
  /** When it was taken: one without a room after ORPHAN_MS is let go. */
  readonly since: number;
}

export interface MemberOptions {
  readonly redis: Redis;
  readonly instance: string;
  readonly registry: RoomRegistry;
  readonly store: RedisStore;
  readonly log: StoreLog;
  /** Seconds a restored room waits for its players (RESUME_GRACE_S); 0: rooms are not restored. */
  readonly resumeGraceS: number;
}

/** Connects to Redis, or throws a StoreError naming it; later outages are logged once each. */
export async function connectRedis(url: string, log: StoreLog): Promise<Redis> {
  const redis = redisClient(url);
  let down = false;
  redis.on('error', (err: unknown) => {
    if (!down) log.warn({ err }, 'Redis connection lost; reconnecting');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({}, 'Redis connection back');
    down = false;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_DEADLINE_MS} ms`)), CONNECT_DEADLINE_MS);
  });
  try {
    await Promise.race([redis.connect(), deadline]);
  } catch (err) {
    redis.destroy();
    const why = err instanceof Error ? err.message : String(err);
    throw new StoreError(url, `cannot reach Redis at ${url} (REDIS_URL): ${why}`);
  } finally {
    clearTimeout(timer);
  }
  return redis;
}

export class ClusterMember implements RoomOwnership {
  readonly instance: string;
  readonly counters: ClusterCounters;
  readonly #leases = new Map<string, Lease>();
  /** Claims in flight, so that sockets arriving together for one room share one round trip. */
  readonly #claims = new Map<string, Promise<Claim>>();
  #draining = false;
  #renewing = false;
  #renewTimer: ReturnType<typeof setInterval> | null = null;
  #guardTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: MemberOptions) {
    this.instance = options.instance;
    const leases = this.#leases;
    this.counters = {
      get leases() {
        return leases.size;
      },
      renewFailures: 0,
      restored: 0,
      refusals: 0,
      rttMs: 0,
    };
  }

  /** Starts the renewals (and the first heartbeat at once). Safe to call again. */
  start(): void {
    if (this.#renewTimer) return;
    this.#renewTimer = setInterval(() => void this.#renew(), RENEW_MS);
    this.#guardTimer = setInterval(() => this.#guard(), GUARD_MS);
    void this.#renew();
  }

  holds(room: string): boolean {
    return !this.#claims.has(room) && this.#valid(room); // a claim in flight is still restoring it
  }

  /** The lease is here and cannot have expired in Redis yet. */
  #valid(room: string): boolean {
    const lease = this.#leases.get(room);
    return lease !== undefined && !this.#draining && lease.validUntil - LEASE_SAFETY_MS > performance.now();
  }

  claim(room: string): Promise<Claim> {
    const claim = this.#claim(room);
    // Counted per socket (sockets arriving together share one round trip).
    void claim.then((c) => {
      if (!c.ok && c.why === 'elsewhere') this.counters.refusals++;
    });
    return claim;
  }

  #claim(room: string): Promise<Claim> {
    if (this.#draining) return Promise.resolve(unavailable('server is shutting down'));
    // A claim in flight may hold the lease already while it restores the room: wait for it, so
    // that no socket makes a fresh room in the meantime.
    let pending = this.#claims.get(room);
    if (pending) return pending;
    if (this.holds(room)) return Promise.resolve(OK);
    pending = this.#take(room).finally(() => this.#claims.delete(room));
    this.#claims.set(room, pending);
    return pending;
  }

  /** The registry deleted `room` (it ended, was evicted or the instance drains): let its lease go. */
  released(room: string): void {
    this.options.store.forget(room);
    if (!this.#leases.delete(room)) return;
    this.options.redis.eval(RELEASE, { keys: [keys.lease(room)], arguments: [this.instance] }).then(
      () => this.options.log.info({ room }, 'lease released'),
      (err: unknown) => this.options.log.warn({ err, room }, 'could not release a lease; it expires by itself'),
    );
  }

  /** Every room of the cluster: this instance's as they are now, the others' as of their last beat. */
  async directory(): Promise<ListedRoom[]> {
    const mine = this.options.registry.list().map((r) => ({ ...r, instance: this.instance }));
    const seen = new Set(mine.map((r) => r.id));
    const out: ListedRoom[] = [...mine];
    const { redis } = this.options;
    let ids: string[];
    let entries: (string | null)[];
    try {
      ids = (await redis.sMembers(keys.instances)).filter((id) => id !== this.instance).sort((x, y) => x.localeCompare(y));
      entries = ids.length > 0 ? await redis.mGet(ids.map(keys.directory)) : [];
    } catch (err) {
      this.options.log.warn({ err }, 'could not read the directory from Redis; listing this instance only');
      return out;
    }
    const gone: string[] = [];
    for (const [i, id] of ids.entries()) {
      const text = entries[i];
      if (!text) {
        gone.push(id);
        continue;
      }
      for (const r of (JSON.parse(text) as { rooms: RoomInfo[] }).rooms) {
        // A room that just moved may still be listed by the instance it left, for one beat.
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.push({ ...r, instance: id });
      }
    }
    if (gone.length > 0) await redis.sRem(keys.instances, gone).catch(() => undefined);
    return out;
  }

  /**
   * Drain: take no more rooms (every claim is refused, so nginx tries the next instance), and
   * stop every loop, so the checkpoints saved next are the rooms exactly as players last saw them.
   */
  drain(): void {
    this.#draining = true;
    this.options.registry.stopLoops();
  }

  /** After the rooms are gone: stop beating, leave the directory, close the connection. */
  async leave(): Promise<void> {
    this.#draining = true;
    if (this.#renewTimer) clearInterval(this.#renewTimer);
    if (this.#guardTimer) clearInterval(this.#guardTimer);
    this.#renewTimer = this.#guardTimer = null;
    const { redis } = this.options;
    for (const room of [...this.#leases.keys()]) this.released(room);
    try {
      await Promise.all([redis.del(keys.directory(this.instance)), redis.sRem(keys.instances, this.instance)]);
    } catch (err) {
      this.options.log.warn({ err }, 'could not leave the directory; this instance drops out of it by itself');
    }
    redis.destroy();
  }

  async #take(room: string): Promise<Claim> {
    const { redis, registry, store, log } = this.options;
    const sent = performance.now();
    let holder: unknown;
    try {
      holder = await redis.eval(CLAIM, { keys: [keys.lease(room)], arguments: [this.instance, String(LEASE_MS)] });
    } catch (err) {
      log.warn({ err, room }, 'could not ask Redis who runs a room');
      return unavailable('the cluster cannot reach its shared store right now: try again in a moment');
    }
    if (holder !== this.instance) {
      return { ok: false, why: 'elsewhere', owner: String(holder) };
    }
    const had = this.#leases.get(room);
    this.#leases.set(room, { validUntil: sent + LEASE_MS, since: had?.since ?? performance.now() });
    if (registry.get(room)) return OK;
    // The room is not here: bring its top scores, and its checkpoint if another instance left one.
    try {
      const [, saved] = await Promise.all([store.prefetch(room), this.options.resumeGraceS > 0 ? store.checkpoint(room) : null]);
      if (saved && !registry.get(room) && this.#valid(room)) {
        registry.restore([saved], this.options.resumeGraceS);
        this.counters.restored++;
        log.info({ room, tick: saved.state.tick, players: saved.players.length }, 'room restored from its checkpoint');
      }
    } catch (err) {
      log.warn({ err, room }, 'could not read a room from Redis');
      this.released(room);
      return unavailable('the cluster cannot reach its shared store right now: try again in a moment');
    }
    return this.#valid(room) ? OK : unavailable('server is shutting down');
  }

  /** One round trip: renew every lease, beat, and publish this instance's rooms. */
  async #renew(): Promise<void> {
    if (this.#renewing) return;
    this.#renewing = true;
    const { redis, registry, log } = this.options;
    const now = performance.now();
    for (const [room, lease] of this.#leases) {
      if (!registry.get(room) && !this.#claims.has(room) && now - lease.since > ORPHAN_MS) this.released(room);
    }
    const rooms = [...this.#leases.keys()];
    const sent = performance.now();
    try {
      const [renewed] = await Promise.all([
        rooms.length > 0
          ? (redis.eval(RENEW, { keys: rooms.map(keys.lease), arguments: [this.instance, String(LEASE_MS)] }) as Promise<number[]>)
          : Promise.resolve([] as number[]),
        redis.sAdd(keys.instances, this.instance),
        redis.set(keys.directory(this.instance), JSON.stringify({ rooms: registry.list() }), {
          expiration: { type: 'PX', value: DIRECTORY_TTL_MS },
        }),
      ]);
      this.counters.rttMs = performance.now() - sent;
      for (const [i, room] of rooms.entries()) {
        const lease = this.#leases.get(room);
        if (!lease) continue;
        if (renewed[i] === 0) {
          this.#lose(room, 'another instance holds it');
          continue;
        }
        // Only a lease still valid when the renewal left is extended: one given up meanwhile stays given up.
        if (lease.validUntil - LEASE_SAFETY_MS > sent) lease.validUntil = sent + LEASE_MS;
        if (renewed[i] === 2) log.warn({ room }, 'lease was gone from Redis (restarted?); taken again');
      }
    } catch (err) {
      this.counters.renewFailures++;
      log.warn({ err, leases: rooms.length }, 'could not renew the room leases');
    } finally {
      this.#renewing = false;
    }
  }

  /** Gives up every lease that could expire in Redis before the next check. */
  #guard(): void {
    const now = performance.now();
    for (const [room, lease] of this.#leases) {
      if (lease.validUntil - LEASE_SAFETY_MS <= now + GUARD_MS) this.#lose(room, 'not renewed in time');
    }
  }

  #lose(room: string, why: string): void {
    if (!this.#leases.has(room)) return;
    this.counters.renewFailures++;
    this.options.log.warn({ room, why }, 'lease lost: stopping the room');
    this.#leases.delete(room);
    this.options.store.forget(room);
    this.options.registry.evict(room, CLOSE_RESTARTING, 'room is moving, reconnect');
  }
}

const OK: Claim = { ok: true };

function unavailable(reason: string): Claim {
  return { ok: false, why: 'unavailable', reason };
}
