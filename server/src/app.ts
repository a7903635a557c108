// buildApp(config): the whole server as a Fastify instance that has not listened yet.
// main.ts listens on it; tests build one with their own settings on port 0 and close it after.
// Every plugin is registered here by an explicit line, in the order a reader should follow.
// Tutorial: docs/tutorial/03-server.md

import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { WebSocket } from 'ws';
import type { Config } from './config.js';
import { createMetrics, metricsRoutes } from './metrics.js';
import { RoomRegistry } from './rooms/registry.js';
import { CLOSE } from './rooms/room.js';
import { benchRoutes } from './routes/bench.js';
import { clientRoutes } from './routes/client.js';
import { httpRoutes } from './routes/http.js';
import { wsRoutes } from './routes/ws.js';
import { ServerStats } from './stats.js';
import { TopScoreStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every live room (see rooms/registry.ts). */
    rooms: RoomRegistry;
    /** What the server counts about itself (see stats.ts). */
    stats: ServerStats;
  }
}

/** Largest message a client may send, in bytes; a join with a long name is ~100. */
export const MAX_PAYLOAD_BYTES = 4 * 1024;
/** How long, in ms, shutdown waits for clients to finish the closing handshake. */
export const CLOSE_GRACE_MS = 1500;

export interface AppOptions {
  /** Fixes every room's RNG seed, so tests see the same game each run. */
  readonly seed?: number;
  /** Keep top scores in memory only, whatever DATA_DIR says (tests). */
  readonly memoryOnly?: boolean;
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    // No line per request: the API is polled by every join screen. Errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: 10_000,
    // Behind nginx: take the client's address, host and scheme from X-Forwarded-* headers.
    trustProxy: config.trustProxy,
  });

  const stats = new ServerStats();
  const store = new TopScoreStore(options.memoryOnly ? null : config.dataDir, app.log);
  const registry = new RoomRegistry({ config, log: app.log, seed: options.seed, stats, store });
  app.decorate('rooms', registry);
  app.decorate('stats', stats);
  // Last thing on the way out, after every room has stopped: save what must outlive us.
  app.addHook('onClose', async () => store.flush());

  await app.register(websocket, {
    options: { maxPayload: MAX_PAYLOAD_BYTES },
    // Shutdown: stop every loop, say goodbye with 1001, and give clients a moment to answer.
    preClose: async () => {
      registry.closeAll(CLOSE.GOING_AWAY, 'server shutting down');
      await closeClients(app.websocketServer.clients, CLOSE_GRACE_MS);
      app.websocketServer.close();
    },
  });
  await app.register(httpRoutes, { registry });
  await app.register(metricsRoutes, { registry: createMetrics(stats, registry, () => app.websocketServer.clients.size) });
  await app.register(wsRoutes, { registry, allowedOrigins: config.allowedOrigins, wireFormat: config.wireFormat });
  if (config.benchEndpoints) await app.register(benchRoutes, { stats });
  await app.register(clientRoutes, { clientDir: config.clientDir });
  return app;
}

function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  if (config.logFormat === 'pretty') {
    return { level: config.logLevel, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } };
  }
  return { level: config.logLevel };
}

/** Closes every socket with 1001 and resolves once all have gone, terminating stragglers after `graceMs`. */
function closeClients(clients: Set<WebSocket>, graceMs: number): Promise<void> {
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
      if (c.readyState === c.OPEN) c.close(CLOSE.GOING_AWAY, 'server shutting down');
    }
  });
}
