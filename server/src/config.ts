// The server's settings: parsed once from the environment into a typed, frozen object that is
// passed to whatever needs it. Nothing else reads process.env (main.ts hands it over), and
// behaviour never switches on NODE_ENV. A bad value stops start-up with a message naming the
// variable. .env.example and the README's table list the same variables.
// Tutorial: docs/tutorial/03-server.md

import { resolve } from 'node:path';
import { GRID_H, GRID_W, MAX_PLAYERS_PER_ROOM, MIN_BOARD_SIDE, TICK_RATE, type WireFormat } from '@snakepit/shared';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** TCP port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Address to bind: 0.0.0.0 for every interface, 127.0.0.1 for this machine only. */
  readonly host: string;
  /** Simulation rate, ticks per second. */
  readonly tickRate: number;
  readonly maxPlayersPerRoom: number;
  /** Rooms that may exist at once; a connection that would open one more is refused. */
  readonly maxRooms: number;
  readonly logLevel: LogLevel;
  /** json for machines (the default), pretty for a developer's terminal. */
  readonly logFormat: 'json' | 'pretty';
  /** Origins allowed to open the WebSocket; empty means only the page's own host. */
  readonly allowedOrigins: readonly string[];
  /** Where the server keeps what must outlive it. */
  readonly dataDir: string;
  /** Board size, in cells, and stone cells per room (0 = no stones). */
  readonly gridWidth: number;
  readonly gridHeight: number;
  readonly stones: number;
  /** The built client to serve at /, or null to serve no page (API and WebSocket only). */
  readonly clientDir: string | null;
  /** Wire format for connections that do not ask (`/ws?wire=json|binary`). */
  readonly wireFormat: WireFormat;
  /**
   * Which reverse proxies to believe about the client's address, host and scheme
   * (X-Forwarded-*): false (none), true (any: only when nothing else can reach the server),
   * a number of proxy hops, or a list of proxy addresses (e.g. 127.0.0.1 for nginx on the host).
   */
  readonly trustProxy: boolean | number | readonly string[];
  /** Serve /bench/* (raw tick timings for `npm run bench`). Off in production. */
  readonly benchEndpoints: boolean;

  // ---- protection (see the README's Reliability section) ----
  /** Open WebSockets allowed from one IP address; more are refused with 429 before the upgrade. */
  readonly maxConnectionsPerIp: number;
  /**
   * Messages a socket may send per second (sustained; the same again as a burst) before 1008.
   * Default: 30, or three per tick at tick rates above 10 (a player turns at most once a tick).
   */
  readonly maxMessagesPerSecond: number;
  /** HTTP requests per minute per IP (page, API, upgrades); 0 switches the limit off. */
  readonly httpRateLimit: number;
  /** How often the server pings each socket, ms; one that misses a whole interval is dropped. */
  readonly pingIntervalMs: number;
  /** A socket whose unsent data exceeds this many bytes is skipped until it drains. */
  readonly sendBufferMaxBytes: number;
  /** A socket skipped for this long, in seconds, is closed (1008). */
  readonly slowReaderTimeoutS: number;
  /** Event-loop delay, ms, above which new connections get 503; 0 switches the check off. */
  readonly maxEventLoopDelayMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  return value;
}

function num(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ConfigError(name, `expected a number, got "${raw}"`);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`);
}

function proxies(env: Env, name: string): boolean | number | string[] {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return false;
  if (/^(true|false|yes|no|on|off|0|1)$/i.test(raw) && !/^\d+$/.test(raw)) return bool(env, name, false);
  if (/^\d+$/.test(raw)) return int(env, name, 0, 0, 100);
  const list = raw.split(',').map((a) => a.trim());
  for (const a of list) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a)) {
      throw new ConfigError(name, `"${a}" is not an address (like 127.0.0.1 or 10.0.0.0/8); use true, false, a hop count or addresses`);
    }
  }
  return list;
}

function origins(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw.split(',').map((o) => {
    const origin = o.trim();
    if (origin === '*') return origin;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(name, `"${origin}" is not an origin like https://snake.example.com`);
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(name, `"${origin}" is not an origin like https://snake.example.com (no path)`);
    }
    return url.origin;
  });
}

/** The default place of the built client, beside this package: client/dist. */
export const DEFAULT_CLIENT_DIR = resolve(import.meta.dirname, '../../client/dist');

export function parseConfig(env: Env, cwd = process.cwd()): Config {
  return Object.freeze({
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    tickRate: num(env, 'TICK_RATE', TICK_RATE, 0.1, 60),
    maxPlayersPerRoom: int(env, 'MAX_PLAYERS_PER_ROOM', MAX_PLAYERS_PER_ROOM, 1, 10_000),
    maxRooms: int(env, 'MAX_ROOMS', 1000, 1, 1_000_000),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    logFormat: oneOf(env, 'LOG_FORMAT', 'json', ['json', 'pretty'] as const),
    allowedOrigins: Object.freeze(origins(env, 'ALLOWED_ORIGINS')),
    dataDir: resolve(cwd, env.DATA_DIR?.trim() || 'data'),
    gridWidth: int(env, 'GRID_WIDTH', GRID_W, MIN_BOARD_SIDE, 1000),
    gridHeight: int(env, 'GRID_HEIGHT', GRID_H, MIN_BOARD_SIDE, 1000),
    stones: int(env, 'STONES', 0, 0, 100_000),
    clientDir: env.CLIENT_DIR?.trim() ? resolve(cwd, env.CLIENT_DIR.trim()) : DEFAULT_CLIENT_DIR,
    wireFormat: oneOf(env, 'WIRE_FORMAT', 'binary', ['binary', 'json'] as const),
    trustProxy: proxies(env, 'TRUST_PROXY'),
    benchEndpoints: bool(env, 'BENCH_ENDPOINTS', false),
    maxConnectionsPerIp: int(env, 'MAX_CONNECTIONS_PER_IP', 20, 1, 1_000_000),
    maxMessagesPerSecond: int(env, 'MAX_MESSAGES_PER_SECOND', Math.max(30, Math.ceil(3 * num(env, 'TICK_RATE', TICK_RATE, 0.1, 60))), 1, 100_000),
    httpRateLimit: int(env, 'HTTP_RATE_LIMIT', 600, 0, 10_000_000),
    pingIntervalMs: int(env, 'PING_INTERVAL_MS', 10_000, 100, 600_000),
    sendBufferMaxBytes: int(env, 'SEND_BUFFER_MAX_BYTES', 64 * 1024, 1024, 64 * 1024 * 1024),
    slowReaderTimeoutS: num(env, 'SLOW_READER_TIMEOUT_S', 10, 0.1, 3600),
    maxEventLoopDelayMs: int(env, 'MAX_EVENT_LOOP_DELAY_MS', 500, 0, 60_000),
  });
}

/** Settings for tests and tools: the defaults with some replaced. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...parseConfig({}), host: '127.0.0.1', port: 0, logLevel: 'silent' as const, ...overrides });
}
