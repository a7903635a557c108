// GET /metrics in Prometheus text format: the rooms, people and connections now; tick duration
// and lateness as histograms; messages and bytes in and out; sends skipped for slow readers;
// the store's write batches, their duration, the database's size and the age of the last
// checkpoint; the bytes of recorded games kept for replays; and prom-client's default process
// metrics (CPU, memory, event-loop lag, GC).
// Totals are read from ServerStats when Prometheus scrapes, so counting costs the game nothing.
// Tutorial: docs/tutorial/08-measuring.md

import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ClusterCounters } from './cluster/member.js';
import type { RoomRegistry } from './rooms/registry.js';
import type { GameStore } from './store.js';
import type { ReplayStore } from './store/replays.js';
import type { ServerStats } from './stats.js';

/** Seconds. A tick takes tens of microseconds (`npm run bench` reports it); lateness is felt past ~10 ms. */
const DURATION_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
const LATENESS_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1];
/** Seconds. A batch of a few rooms' checkpoints takes about a millisecond; tens of ms would be felt by ticks. */
const BATCH_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export function createMetrics(
  stats: ServerStats,
  rooms: RoomRegistry,
  connections: () => number,
  store?: GameStore,
  replays?: ReplayStore | null,
  cluster?: ClusterCounters,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  const total = (name: string, help: string, read: () => number) => {
    let seen = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read();
        this.inc(now - seen);
        seen = now;
      },
    });
  };

  gauge('snakepit_rooms', 'Rooms open now', () => rooms.size);
  gauge('snakepit_players', 'Players (snakes, alive or waiting to respawn) in all rooms', () => rooms.totals().players);
  gauge('snakepit_spectators', 'Sockets watching without playing', () => rooms.totals().spectators);
  gauge('snakepit_connections', 'Open WebSocket connections', connections);
  total('snakepit_ticks_total', 'Room ticks run', () => stats.ticks);
  total('snakepit_ticks_missed_total', 'Ticks skipped by loops that fell behind schedule', () => stats.ticksMissed);
  total('snakepit_messages_in_total', 'WebSocket messages received', () => stats.messagesIn);
  total('snakepit_bytes_in_total', 'WebSocket payload bytes received', () => stats.bytesIn);
  total('snakepit_messages_out_total', 'WebSocket messages sent', () => stats.messagesOut);
  total('snakepit_bytes_out_total', 'WebSocket payload bytes sent', () => stats.bytesOut);
  total('snakepit_sends_skipped_total', 'Sends skipped because a socket was not reading (slow reader)', () => stats.sendsSkipped);
  total('snakepit_slow_dropped_total', 'Sockets closed for staying too slow to keep up', () => stats.slowDropped);

  const duration = new Histogram({
    name: 'snakepit_tick_duration_seconds',
    help: 'Time to run one room tick: step, encode, send',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const lateness = new Histogram({
    name: 'snakepit_tick_lateness_seconds',
    help: 'How long after its deadline a room tick started',
    buckets: LATENESS_BUCKETS,
    registers: [registry],
  });
  stats.onTick = (durationMs, latenessMs) => {
    duration.observe(durationMs / 1000);
    lateness.observe(latenessMs / 1000);
  };

  if (store) {
    const s = store;
    total('snakepit_store_batches_total', 'Write batches committed to the store (one transaction each)', () => s.counters.batches);
    total('snakepit_store_batch_failures_total', 'Write batches that failed (kept and tried again)', () => s.counters.failures);
    gauge('snakepit_store_database_bytes', 'Size of the database on disk, with its write-ahead log (0 in memory)', () => s.sizeBytes());
    // 0 while no room is open: nothing waits to be saved.
    gauge('snakepit_checkpoint_age_seconds', 'Seconds since rooms were last checkpointed (what a crash now would lose)', () =>
      rooms.size === 0 || s.counters.checkpointAt === null ? 0 : (Date.now() - s.counters.checkpointAt) / 1000,
    );
    const batch = new Histogram({
      name: 'snakepit_store_batch_duration_seconds',
      help: 'Time to commit one batch to the store (SQLite: on its writer thread, off the event loop)',
      buckets: BATCH_BUCKETS,
      registers: [registry],
    });
    s.onBatch = (ms) => batch.observe(ms / 1000);
  }
  if (replays) {
    const r = replays;
    gauge('snakepit_replay_bytes', 'Bytes of recorded games kept for replays (REPLAY_MAX_MB caps it)', () => r.replayBytes());
  }

  // A cluster member (REDIS_URL): its room leases and its round trip to Redis (cluster/member.ts).
  if (cluster) {
    const c = cluster;
    gauge('snakepit_cluster_leases', 'Room leases this instance holds in Redis (rooms it may run)', () => c.leases);
    total(
      'snakepit_cluster_renew_failures_total',
      'Lease renewals that failed, and leases lost (their rooms stopped)',
      () => c.renewFailures,
    );
    total('snakepit_cluster_rooms_restored_total', 'Rooms brought back here from a checkpoint another instance left', () => c.restored);
    total('snakepit_cluster_refusals_total', 'Sockets refused because another instance runs their room', () => c.refusals);
    gauge('snakepit_redis_rtt_seconds', 'Round trip of the last lease renewal to Redis', () => c.rttMs / 1000);
  }
  return registry;
}

export async function metricsRoutes(app: FastifyInstance, opts: { registry: Registry }): Promise<void> {
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', opts.registry.contentType);
    return opts.registry.metrics();
  });
}
