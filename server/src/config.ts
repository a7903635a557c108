// The server's settings: one table, SETTINGS, declares each environment variable once (its type
// and allowed values as a TypeBox schema, its default, its help text), and everything else is
// derived from it: the typed, frozen Config that is passed to whatever needs it, the start-up
// errors, and .env.example and the README's table (`npm run config:docs`; a test fails when they
// drift). Nothing else reads process.env (main.ts hands it over), behaviour never switches on
// NODE_ENV, and a bad value stops start-up naming the variable and what it accepts.
// Tutorial: docs/tutorial/07-hardening.md

import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { KindGuard, type Static, type TLiteral, type TSchema, type TUnion, Type } from '@sinclair/typebox';
import {
  GRID_H,
  GRID_W,
  MAX_PLAYERS_PER_ROOM,
  MIN_BOARD_SIDE,
  maxStones,
  TICK_RATE,
  WALL_MODES,
  WIRE_FORMATS,
  type WireFormat,
} from '@snakepit/shared';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;

/** Largest board side, in cells: a 1000x1000 room already takes megabytes per snapshot. */
export const MAX_BOARD_SIDE = 1000;

/** The default place of the built client, beside this package: client/dist. */
export const DEFAULT_CLIENT_DIR = resolve(import.meta.dirname, '../../client/dist');

/** A default computed from settings that have plain defaults, described for the docs. */
export interface Derived<T> {
  /** What the docs say the default is. */
  readonly shown: string;
  readonly from: (config: Config) => T;
}

export interface Setting<S extends TSchema = TSchema> {
  /** The environment variable. */
  readonly env: string;
  /** The value's type and allowed values (minimum and maximum, or the words it may be). */
  readonly schema: S;
  /** What an unset or empty variable means: text read like a set value, or derived. */
  readonly default: string | Derived<Static<S>>;
  /** For people: the comment in .env.example and the Meaning column of the README's table. */
  readonly help: string;
  /** The allowed values as the docs show them, when the schema alone cannot say. */
  readonly allowed?: string;
  /** Reads values that are not a plain number, word or switch; throws ConfigError. */
  parse?(raw: string, variable: string, cwd: string): Static<S>;
  /** Limits that depend on other settings: why `value` is refused, or null. */
  check?(value: Static<S>, config: Config): string | null;
  /** Starts a group of settings in .env.example. */
  readonly heading?: string;
}

function setting<S extends TSchema>(s: Setting<S>): Setting<S> {
  return s;
}

function words<const T extends string>(values: readonly T[]): TUnion<TLiteral<T>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

export const SETTINGS = {
  port: setting({
    heading: 'the server',
    env: 'PORT',
    schema: Type.Integer({ minimum: 0, maximum: 65535 }),
    default: '3000',
    help: 'TCP port to listen on; 0 picks a free one.',
  }),
  host: setting({
    env: 'HOST',
    schema: Type.String(),
    default: '0.0.0.0',
    allowed: 'an address',
    help: 'Address to bind: 0.0.0.0 for every interface, 127.0.0.1 for this machine only. In a container it must stay 0.0.0.0 (compose.yaml fixes it).',
  }),
  maxRooms: setting({
    env: 'MAX_ROOMS',
    schema: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    default: '1000',
    help: 'Rooms open at once; a connection that would open one more is refused (HTTP 503, with a reason).',
  }),
  maxPlayersPerRoom: setting({
    env: 'MAX_PLAYERS_PER_ROOM',
    schema: Type.Integer({ minimum: 1, maximum: 10_000 }),
    default: String(MAX_PLAYERS_PER_ROOM),
    help: 'Snakes per room; more people can still join to watch.',
  }),
  tickRate: setting({
    heading: "a new room's defaults (its creator may choose size, speed, walls, stones and bots instead)",
    env: 'TICK_RATE',
    schema: Type.Number({ minimum: 0.1, maximum: 60 }),
    default: String(TICK_RATE),
    help: 'Game ticks per second.',
  }),
  gridWidth: setting({
    env: 'GRID_WIDTH',
    schema: Type.Integer({ minimum: MIN_BOARD_SIDE, maximum: MAX_BOARD_SIDE }),
    default: String(GRID_W),
    help: 'Board width in cells.',
  }),
  gridHeight: setting({
    env: 'GRID_HEIGHT',
    schema: Type.Integer({ minimum: MIN_BOARD_SIDE, maximum: MAX_BOARD_SIDE }),
    default: String(GRID_H),
    help: 'Board height in cells.',
  }),
  walls: setting({
    env: 'WALLS',
    schema: words(WALL_MODES),
    default: 'solid',
    help: 'What the edge of the board does: solid kills a snake that runs into it, wrap leads to the other side.',
  }),
  stones: setting({
    env: 'STONES',
    // The most that fit depends on the board: `check` says it with the figures.
    schema: Type.Integer({ minimum: 0 }),
    default: '0',
    allowed: "0..a tenth of the board's cells",
    help: 'Stone cells placed in a room whose creator chose neither a size nor stones; 0 switches stones off.',
    check: (stones, c): string | null => {
      const max = maxStones({ width: c.gridWidth, height: c.gridHeight });
      return stones > max ? `expected 0..${max} for a ${c.gridWidth}x${c.gridHeight} board (a tenth of its cells), got ${stones}` : null;
    },
  }),
  botsMinSnakes: setting({
    env: 'BOTS_MIN_SNAKES',
    schema: Type.Integer({ minimum: 0, maximum: 10_000 }),
    default: '4',
    help: "While a room has a person playing, bots join until it has this many snakes, and give their seats to people who come (one seat is always left for a person); 0 switches bots off. A room's creator may choose 0, 4 or 8 instead.",
  }),
  idleSeatS: setting({
    env: 'IDLE_SEAT_S',
    schema: Type.Number({ minimum: 0, maximum: 86_400 }),
    default: '60',
    help: 'Seconds a dead player may wait before playing again; then they watch instead and their seat is free. 0: seats are kept however long they wait.',
  }),
  logLevel: setting({
    heading: 'logs',
    env: 'LOG_LEVEL',
    schema: words(LOG_LEVELS),
    default: 'info',
    help: 'How much the server logs.',
  }),
  logFormat: setting({
    env: 'LOG_FORMAT',
    schema: words(LOG_FORMATS),
    default: 'json',
    help: 'json: one object per line, for log collectors; pretty: for a terminal (`npm run dev` uses it).',
  }),
  allowedOrigins: setting({
    heading: 'the network',
    env: 'ALLOWED_ORIGINS',
    schema: Type.Array(Type.String()),
    default: '',
    allowed: 'comma-separated origins',
    help: "Origins allowed to open the game's WebSocket, e.g. https://snake.example.com. Empty: only pages served from the host the request was sent to.",
    parse: origins,
  }),
  trustProxy: setting({
    env: 'TRUST_PROXY',
    schema: Type.Union([Type.Boolean(), Type.Integer({ minimum: 0, maximum: 100 }), Type.Array(Type.String())]),
    default: 'false',
    allowed: 'true, false, a hop count or addresses',
    help:
      "Behind a reverse proxy (nginx), which proxies to believe about the client's address, host and scheme (X-Forwarded-*): a hop count (1 for one nginx) or the proxies' addresses (127.0.0.1 for nginx on the same host). " +
      "true believes anyone: only if nothing else can reach the server. Without it, every player behind the proxy shares the proxy's address.",
    parse: proxies,
  }),
  wireFormat: setting({
    env: 'WIRE_FORMAT',
    schema: words(Object.keys(WIRE_FORMATS) as WireFormat[]),
    default: 'binary',
    help: "binary (compact) or json (readable in the browser's network panel). A client may ask for one with /ws?wire=json, and the page passes ?wire=json through.",
  }),
  dataDir: setting({
    heading: 'files',
    env: 'DATA_DIR',
    schema: Type.String(),
    default: './data',
    allowed: 'a directory',
    help: "Where the server keeps what must outlive it, relative to the working directory: snakepit.db, one SQLite database with the rooms' top scores, the leaderboards, the rooms' checkpoints for restarts and the recorded games for replays. The Docker image uses /data.",
    parse: (raw, _variable, cwd) => resolve(cwd, raw),
  }),
  checkpointEveryS: setting({
    env: 'CHECKPOINT_EVERY_S',
    schema: Type.Number({ minimum: 0, maximum: 3600 }),
    default: '5',
    help: 'Seconds between checkpoints of every room, so that after a crash the rooms come back as they were at most this long before it (a clean stop saves them exactly). 0: only at a clean stop.',
  }),
  replayRetentionDays: setting({
    env: 'REPLAY_RETENTION_DAYS',
    schema: Type.Number({ exclusiveMinimum: 0, maximum: 3650 }),
    default: '7',
    allowed: 'more than 0, up to 3650',
    help: 'Days a recorded game is kept for replays (/?replay=<id>); older recordings are deleted.',
  }),
  replayMaxMb: setting({
    env: 'REPLAY_MAX_MB',
    schema: Type.Number({ minimum: 0, maximum: 1000000 }),
    default: '500',
    help: 'Megabytes of recorded games kept for replays, at most; the oldest go first. 0 switches recording off.',
  }),
  clientDir: setting({
    env: 'CLIENT_DIR',
    schema: Type.Union([Type.String(), Type.Null()]),
    default: { shown: 'client/dist beside the server', from: (): string => DEFAULT_CLIENT_DIR },
    allowed: 'a directory',
    help: 'The built client to serve at /.',
    parse: (raw, _variable, cwd) => resolve(cwd, raw),
  }),
  benchEndpoints: setting({
    env: 'BENCH_ENDPOINTS',
    schema: Type.Boolean(),
    default: 'false',
    help: 'Serve /bench/* timings for `npm run bench`. Leave off in production.',
  }),
  maxConnectionsPerIp: setting({
    heading: "protection (the README's Reliability section)",
    env: 'MAX_CONNECTIONS_PER_IP',
    schema: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    default: '20',
    help: 'Open game connections per client address; more get HTTP 429.',
  }),
  maxMessagesPerSecond: setting({
    env: 'MAX_MESSAGES_PER_SECOND',
    schema: Type.Integer({ minimum: 1, maximum: 100_000 }),
    // A player turns at most once a tick; three per tick leaves room for joins and bursts.
    default: { shown: '30, or 3 per tick above 10 ticks/s', from: (c): number => Math.max(30, Math.ceil(3 * c.tickRate)) },
    help: 'Messages a socket may send per second, plus as many again in a burst; a flood is closed (1008).',
  }),
  httpRateLimit: setting({
    env: 'HTTP_RATE_LIMIT',
    schema: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    default: '600',
    help: 'HTTP requests per minute per address (the page, the API, connection attempts; not /healthz). 0 switches the limit off.',
  }),
  pingIntervalMs: setting({
    env: 'PING_INTERVAL_MS',
    schema: Type.Integer({ minimum: 100, maximum: 600_000 }),
    default: '10000',
    help: 'How often each socket is pinged, in ms; one that misses a whole interval is dropped.',
  }),
  sendBufferMaxBytes: setting({
    env: 'SEND_BUFFER_MAX_BYTES',
    schema: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024 }),
    default: '65536',
    help: 'Unsent bytes above which a socket is skipped as a slow reader.',
  }),
  slowReaderTimeoutS: setting({
    env: 'SLOW_READER_TIMEOUT_S',
    schema: Type.Number({ minimum: 0.1, maximum: 3600 }),
    default: '10',
    help: 'Seconds a socket may stay skipped as a slow reader before it is closed (1008).',
  }),
  resumeGraceS: setting({
    env: 'RESUME_GRACE_S',
    schema: Type.Number({ minimum: 0, maximum: 3600 }),
    default: '10',
    help: 'Seconds a player whose connection dropped (without leaving) is held: the snake waits, still, for the page to reconnect with its resume token. 0: a drop is a leave.',
  }),
  maxEventLoopDelayMs: setting({
    env: 'MAX_EVENT_LOOP_DELAY_MS',
    schema: Type.Integer({ minimum: 0, maximum: 60_000 }),
    default: '500',
    help: 'Event-loop delay, in ms, above which new game connections get 503; 0 switches the check off.',
  }),
  redisUrl: setting({
    heading: 'a cluster of instances (README: "Past one machine")',
    env: 'REDIS_URL',
    schema: Type.Union([Type.String(), Type.Null()]),
    default: '',
    allowed: 'redis://host:port',
    help: 'Empty: one process on its own, with SQLite in DATA_DIR. Set: this instance is a member of a cluster that shares rooms, leaderboards and checkpoints in this Redis, each room run by one instance at a time (nginx in front routes by room; see deploy/nginx.conf).',
    parse: redisUrl,
  }),
  instanceId: setting({
    env: 'INSTANCE_ID',
    schema: Type.String(),
    default: { shown: 'host name:PORT', from: (c): string => `${hostname()}:${c.port}` },
    allowed: 'a name of 1-64 characters',
    help: "This instance's name in a cluster: in GET /api/rooms, the room leases and the logs. Must differ between the instances of a cluster.",
    parse: (raw, name) => {
      if (!/^[\w.:@-]{1,64}$/.test(raw)) throw new ConfigError(name, `expected 1-64 letters, digits and . : @ _ -, got "${raw}"`);
      return raw;
    },
  }),
};

type Settings = typeof SETTINGS;
/** Arrays in a Config are frozen. */
type Frozen<T> = T extends (infer U)[] ? readonly U[] : T;

type Values = { readonly [K in keyof Settings]: Frozen<Static<Settings[K]['schema']>> };
/** Every setting, parsed: the field names are SETTINGS' keys. (An interface, so that the
 * callbacks in SETTINGS can name it without a circular type.) */
export interface Config extends Values {}

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

export function parseConfig(env: Env, cwd = process.cwd()): Config {
  const config: Record<string, unknown> = {};
  const entries = Object.entries(SETTINGS) as [keyof Config, Setting][];
  // Plain defaults first, so a derived default can read them.
  for (const [key, s] of entries) {
    const raw = env[s.env]?.trim() ?? '';
    if (raw === '' && typeof s.default !== 'string') continue;
    config[key] = freeze(read(s, raw === '' ? (s.default as string) : raw, cwd));
  }
  for (const [key, s] of entries) {
    if (!(key in config)) config[key] = (s.default as Derived<unknown>).from(config as Config);
  }
  for (const [key, s] of entries) {
    const problem = s.check?.(config[key], config as Config);
    if (problem) throw new ConfigError(s.env, problem);
  }
  return Object.freeze(config) as Config;
}

/**
 * Settings for tests and tools: the defaults with some replaced. The event-loop-delay shedding
 * is off unless a test asks for it: on a busy machine the delay alone can pass 500 ms, and a
 * test of something else would then get 503 for reasons that are not its own.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({
    ...parseConfig({}),
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent' as const,
    maxEventLoopDelayMs: 0,
    // Without bots unless a test asks: a test's players are then the only snakes in its rooms.
    botsMinSnakes: 0,
    ...overrides,
  });
}

/** The allowed values as the docs and error messages show them. */
export function allowedValues(s: Setting): string {
  if (s.allowed) return s.allowed;
  const { schema } = s;
  if (KindGuard.IsInteger(schema) || KindGuard.IsNumber(schema)) return `${schema.minimum}..${schema.maximum}`;
  if (KindGuard.IsBoolean(schema)) return 'true, false';
  const literals = literalsOf(schema);
  if (literals) return literals.join(', ');
  throw new Error(`${s.env}: say in \`allowed\` what it accepts`);
}

/** The value of `raw` for setting `s`, or a ConfigError naming the variable. */
function read(s: Setting, raw: string, cwd: string): unknown {
  const { env: name, schema } = s;
  if (s.parse) return s.parse(raw, name, cwd);
  if (KindGuard.IsInteger(schema) || KindGuard.IsNumber(schema)) {
    const whole = KindGuard.IsInteger(schema);
    if (whole && !/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new ConfigError(name, `expected a number, got "${raw}"`);
    const { minimum = -Infinity, maximum = Infinity } = schema;
    if (value < minimum || value > maximum) throw new ConfigError(name, `expected ${allowedValues(s)}, got ${value}`);
    return value;
  }
  if (KindGuard.IsBoolean(schema)) return bool(raw, name);
  const literals = literalsOf(schema);
  if (literals) {
    if (!literals.includes(raw)) throw new ConfigError(name, `expected one of ${literals.join(', ')}, got "${raw}"`);
    return raw;
  }
  if (KindGuard.IsString(schema)) return raw;
  throw new Error(`${name}: a setting of this type needs a parse function`);
}

function literalsOf(schema: TSchema): string[] | null {
  if (!KindGuard.IsUnion(schema) || !schema.anyOf.every((t) => KindGuard.IsLiteralString(t))) return null;
  return schema.anyOf.map((t) => (t as TLiteral<string>).const);
}

function freeze<T>(value: T): T {
  return Array.isArray(value) ? (Object.freeze(value) as T) : value;
}

function bool(raw: string, name: string): boolean {
  const word = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(word)) return true;
  if (['0', 'false', 'no', 'off'].includes(word)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function proxies(raw: string, name: string): boolean | number | string[] {
  if (/^(true|false|yes|no|on|off)$/i.test(raw)) return bool(raw, name);
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 100) throw new ConfigError(name, `expected at most 100 proxy hops, got ${hops}`);
    return hops;
  }
  const list = raw.split(',').map((a) => a.trim());
  for (const a of list) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a)) {
      throw new ConfigError(name, `"${a}" is not an address (like 127.0.0.1 or 10.0.0.0/8); use true, false, a hop count or addresses`);
    }
  }
  return list;
}

function origins(raw: string, name: string): string[] {
  if (raw === '') return [];
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

function redisUrl(raw: string, name: string): string | null {
  if (raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `"${raw}" is not a URL like redis://127.0.0.1:6379`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new ConfigError(name, `expected redis:// or rediss://, got "${url.protocol}"`);
  return raw;
}
