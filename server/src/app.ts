// buildApp(config): the whole server as a Fastify instance that has not listened yet.
// main.ts listens on it; tests build one with their own settings on port 0 and close it after.
// Every plugin is registered here by an explicit line, in the order a reader should follow:
// protection first (headers, rate limits, overload), then the API, the game socket, the page.
// The store (store.ts) is opened first: rooms saved by the last process are restored before
// the server listens, checkpointed every CHECKPOINT_EVERY_S, and all saved at shutdown.
// Tutorial: docs/tutorial/07-hardening.md

import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import websocket, { type WebsocketPluginOptions } from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { WebSocket } from 'ws';
import { ClusterMember, connectRedis } from './cluster/member.js';
import type { Config } from './config.js';
import { Heartbeat } from './heartbeat.js';
import { createMetrics, metricsRoutes } from './metrics.js';
import { type RegistryOptions, RoomRegistry } from './rooms/registry.js';
import { CLOSE } from './transport.js';
import { benchRoutes } from './routes/bench.js';
import { clientRoutes } from './routes/client.js';
import { httpRoutes } from './routes/http.js';
import { replayRoutes } from './routes/replays.js';
import { wsRoutes } from './routes/ws.js';
import { ServerStats } from './stats.js';
import type { GameStore } from './store.js';
import { MemoryStore } from './store/memory.js';
import { RedisStore } from './store/redis.js';
import { PRUNE_EVERY_MS, type ReplayStore, isReplayStore } from './store/replays.js';
import { SqliteStore } from './store/sqlite.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every live room (see rooms/registry.ts). */
    rooms: RoomRegistry;
    /** What the server counts about itself (see stats.ts). */
    stats: ServerStats;
    /** The ping that finds dead connections (see heartbeat.ts). */
    heartbeat: Heartbeat;
    /** What outlives the rooms and the process (see store.ts). */
    store: GameStore;
    /** Recorded games for replays (store/replays.ts); null with REPLAY_MAX_MB=0. */
    replays: ReplayStore | null;
  }
}

/** Largest message a client may send, in bytes; a join with a long name is ~100. */
export const MAX_PAYLOAD_BYTES = 4 * 1024;
/** Fragments one client message may come in; browsers never fragment messages this small. */
export const MAX_FRAGMENTS = 16;
/** How long, in ms, shutdown waits for clients to finish the closing handshake. */
export const CLOSE_GRACE_MS = 1500;
/** RFC 6455 "service restart": the rooms were saved; the page comes back and resumes. */
export const CLOSE_RESTARTING = 1012;

export interface AppOptions {
  /** Fixes every room's RNG seed, so tests see the same game each run. */
  readonly seed?: number;
  /** Keep everything in memory only, whatever DATA_DIR says (tests). */
  readonly memoryOnly?: boolean;
  /** The store to use instead of opening one (tests). The app closes it. */
  readonly store?: GameStore;
  /** Rules for a room instead of the real step() (tests: a room whose tick fails). */
  readonly step?: RegistryOptions['step'];
  /** The clock for the age of recordings (tests). */
  readonly now?: () => number;
}

/** Throws a StoreError (naming the file) when the database cannot be opened. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    // No line per request: the API is polled by every join screen. Errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: 10_000,
    // Behind nginx: take the client's address, host and scheme from X-Forwarded-* headers.
    trustProxy: trustProxyOption(config.trustProxy),
    // While shutting down, let requests reach our own hooks (which refuse a game connection
    // with a reason and close its socket) instead of Fastify's bare 503, which leaves a refused
    // WebSocket upgrade's socket open and so keeps the process from exiting. Keep-alive HTTP
    // connections are cut when the server closes.
    return503OnClosing: false,
    forceCloseConnections: true,
  })
    // Route schemas are TypeBox schemas, and a route's query and reply types follow from them.
    // The provider does not cross plugin boundaries by itself: a route plugin is typed
    // FastifyPluginAsyncTypebox (routes/http.ts) or calls app.withTypeProvider<TypeBoxTypeProvider>().
    .withTypeProvider<TypeBoxTypeProvider>();

  const stats = new ServerStats();
  // REDIS_URL makes this instance a cluster member: rooms leased, store and directory in Redis.
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, app.log) : null;
  const redisStore = redis && new RedisStore(redis, app.log, { instance: config.instanceId });
  const store = options.store ?? redisStore ?? (options.memoryOnly ? new MemoryStore() : new SqliteStore(config.dataDir, app.log));
  // Replays stay in this instance's SQLite file even when the shared store is elsewhere (Redis).
  const ownReplays: (ReplayStore & GameStore) | null =
    config.replayMaxMb <= 0 || isReplayStore(store)
      ? null
      : options.memoryOnly
        ? new MemoryStore()
        : new SqliteStore(config.dataDir, app.log);
  const replays: ReplayStore | null = config.replayMaxMb <= 0 ? null : (ownReplays ?? (store as GameStore & ReplayStore));
  let member: ClusterMember | null = null;
  const onDeleted = (id: string) => member?.released(id);
  const registry = new RoomRegistry({ config, log: app.log, seed: options.seed, stats, store, step: options.step, replays, onDeleted });
  if (redis && redisStore) {
    member = new ClusterMember({
      redis,
      instance: config.instanceId,
      registry,
      store: redisStore,
      log: app.log,
      resumeGraceS: config.resumeGraceS,
    });
    member.start();
  }
  const heartbeat = new Heartbeat(config.pingIntervalMs);
  app.decorate('rooms', registry);
  app.decorate('stats', stats);
  app.decorate('heartbeat', heartbeat);
  app.decorate('store', store);
  app.decorate('replays', replays);
  // Old recordings go at start and every PRUNE_EVERY_MS (REPLAY_RETENTION_DAYS, REPLAY_MAX_MB).
  const prune = () =>
    void replays?.pruneReplays((options.now ?? Date.now)() - config.replayRetentionDays * 86_400_000, config.replayMaxMb * 1024 * 1024);
  prune();
  const pruneTimer = replays ? setInterval(prune, PRUNE_EVERY_MS).unref() : null;
  // Last thing on the way out, after every room has stopped: write what is queued and let go.
  app.addHook('onClose', async () => {
    if (pruneTimer) clearInterval(pruneTimer);
    await store.close();
    await ownReplays?.close();
    await member?.leave();
  });

  // Rooms the last process saved wait for their players; the running ones are saved every
  // CHECKPOINT_EVERY_S (written with the store's next batch), so a crash loses at most that.
  // A resume grace of 0 means a dropped player leaves at once: nobody could resume into them.
  const restartable = store.durable && config.resumeGraceS > 0;
  if (restartable) registry.restore(await store.loadCheckpoints(), config.resumeGraceS);
  // A slice at a time: every room once per CHECKPOINT_EVERY_S, but a few each second rather
  // than all of them in one moment, which would make that moment's ticks late.
  const slices = Math.max(1, Math.round(config.checkpointEveryS));
  let slice = 0;
  const checkpointTimer =
    restartable && config.checkpointEveryS > 0
      ? setInterval(
          () => {
            store.saveCheckpoints(registry.checkpoints(slice, slices));
            slice = (slice + 1) % slices;
          },
          (config.checkpointEveryS * 1000) / slices,
        ).unref()
      : null;

  // 1. Protection. Security headers and a Content-Security-Policy the game runs under (pixi is
  //    loaded with its no-eval build; same-origin ws:/wss: are covered by 'self').
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        // Self-hosters may serve plain http on a LAN: do not force https.
        upgradeInsecureRequests: null,
      },
    },
  });
  //    Requests per minute per address, for everything but the health check.
  if (config.httpRateLimit > 0) {
    await app.register(rateLimit, {
      max: config.httpRateLimit,
      timeWindow: '1 minute',
      allowList: (req) => req.url === '/healthz',
    });
  }
  //    Overload: when the event loop lags, new game connections are refused with 503 so the
  //    rooms already running stay smooth; everything else (page, API, metrics) is answered.
  //    This plugin only measures; the refusal is the game socket's own (routes/ws.ts), where
  //    every refused upgrade's socket is closed. A refusal from this plugin's hook would come
  //    before the WebSocket plugin claims the request, leave the upgrade's socket open, and
  //    keep app.close() waiting on it.
  if (config.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      pressureHandler: () => undefined, // let every request through to its route
    });
  }
  const overloaded = config.maxEventLoopDelayMs > 0 ? () => app.isUnderPressure() : () => false;

  // 2. The WebSocket plugin, with explicit limits, and the shutdown that goes with it: stop every
  //    loop, say goodbye with 1001, and give clients a moment to answer.
  await app.register(websocket, {
    // maxFragments and closeTimeout are ws >= 8.23 options its type package does not list yet.
    options: {
      maxPayload: MAX_PAYLOAD_BYTES,
      maxFragments: MAX_FRAGMENTS,
      closeTimeout: CLOSE_GRACE_MS,
      perMessageDeflate: false,
    } as WebsocketPluginOptions['options'],
    preClose: async () => {
      if (checkpointTimer) clearInterval(checkpointTimer);
      member?.drain(); // a cluster member takes no more rooms: nginx sends them to another instance
      if (restartable) {
        // Every room stopped, then saved in one transaction, before anyone is told: the game a
        // page saw last is the game saved (no tick runs while the store writes), and a page
        // that reconnects at once finds it saved for the next process.
        registry.stopLoops();
        store.saveCheckpoints(registry.checkpoints().map((c) => ({ ...c, final: true })));
        await store.flush();
        registry.closeAll(CLOSE_RESTARTING, 'restarting', true);
      } else {
        registry.closeAll(CLOSE.GOING_AWAY, 'server shutting down');
      }
      heartbeat.stop();
      await closeClients(app.websocketServer.clients, CLOSE_GRACE_MS, restartable);
      app.websocketServer.close();
    },
  });

  // 3. Routes: health and rooms, metrics, the game socket, benchmark timings, the page.
  await app.register(httpRoutes, { registry, store, directory: member ? () => member.directory() : undefined });
  await app.register(replayRoutes, { replays });
  await app.register(metricsRoutes, {
    registry: createMetrics(stats, registry, () => app.websocketServer.clients.size, store, replays, member?.counters),
  });
  await app.register(wsRoutes, {
    registry,
    heartbeat,
    allowedOrigins: config.allowedOrigins,
    wireFormat: config.wireFormat,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    maxMessagesPerSecond: config.maxMessagesPerSecond,
    overloaded,
    ownership: member ?? undefined,
  });
  if (config.benchEndpoints) await app.register(benchRoutes, { stats });
  await app.register(clientRoutes, { clientDir: config.clientDir });
  return app;
}

/** Config's TRUST_PROXY in the form Fastify takes (a hop count becomes proxy-addr's hop test). */
function trustProxyOption(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}

function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  if (config.logFormat === 'pretty') {
    return { level: config.logLevel, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } };
  }
  return { level: config.logLevel };
}

/** Closes every socket (1012 for a restart, else 1001) and resolves once all have gone, terminating stragglers after `graceMs`. */
function closeClients(clients: Set<WebSocket>, graceMs: number, restarting: boolean): Promise<void> {
  const open = [...clients];
  if (open.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let left = open.length;
    const timer = setTimeout(() => {
      for (const c of open) c.terminate();
    }, graceMs);
    for (const c of open) {
      c.once('close', () => {
        if (--left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      if (c.readyState !== c.OPEN) continue;
      if (restarting) c.close(CLOSE_RESTARTING, 'restarting');
      else c.close(CLOSE.GOING_AWAY, 'server shutting down');
    }
  });
}
