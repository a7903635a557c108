// The process: the only file that reads the environment and listens. It parses the config
// and opens the database (stopping with a clear message on a bad value or a file it cannot
// use), starts the app, and on SIGTERM or SIGINT shuts down cleanly: new connections refused,
// every room saved, players told with close code 1012 "restarting" (their pages resume in the
// next process), the database closed, then the process exits by itself (a backstop at 5 s).
// Tutorial: docs/tutorial/06-resume.md

import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Config, ConfigError, parseConfig } from './config.js';
import { StoreError } from './store.js';

/** Shutdown must finish within this, in ms, or the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 5000;

let config: Config;
try {
  config = parseConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`snakepit: bad configuration: ${err.message}`);
  process.exit(78); // EX_CONFIG
}

let app: FastifyInstance;
try {
  app = await buildApp(config);
} catch (err) {
  if (!(err instanceof StoreError)) throw err;
  console.error(`snakepit: ${err.message}`);
  process.exit(73); // EX_CANTCREAT
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  setTimeout(() => {
    app.log.error('shutdown took too long; exiting');
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  await app.close();
  app.log.info('stopped');
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

try {
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  app.log.error({ err }, `could not listen on ${config.host}:${config.port}`);
  process.exit(1);
}
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
app.log.info({ port }, `snakepit is ready: http://${shown}:${port}`);
