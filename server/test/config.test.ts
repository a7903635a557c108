// Configuration: the defaults, every variable, bad values refused by name, and the docs and
// compose.yaml in step with the one table of settings.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { maxStones } from '@snakepit/shared';
import { envExample, exampleValue, readmeTable } from '../../scripts/config-docs.ts';
import { ConfigError, parseConfig, SETTINGS } from '../src/config.ts';

const root = new URL('../..', import.meta.url).pathname;

test('defaults', () => {
  const c = parseConfig({}, '/srv');
  assert.equal(c.port, 3000);
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.tickRate, 10);
  assert.equal(c.maxPlayersPerRoom, 10);
  assert.equal(c.maxRooms, 1000);
  assert.equal(c.logLevel, 'info');
  assert.equal(c.logFormat, 'json');
  assert.deepEqual(c.allowedOrigins, []);
  assert.equal(c.dataDir, '/srv/data');
  assert.equal(c.gridWidth, 60);
  assert.equal(c.gridHeight, 40);
  assert.equal(c.walls, 'solid');
  assert.equal(c.stones, 0);
  assert.match(c.clientDir!, /client\/dist$/);
  assert.equal(c.wireFormat, 'binary');
  assert.equal(c.trustProxy, false);
  assert.equal(c.benchEndpoints, false);
  assert.equal(c.maxConnectionsPerIp, 20);
  assert.equal(c.maxMessagesPerSecond, 30);
  assert.equal(c.httpRateLimit, 600);
  assert.equal(c.pingIntervalMs, 10_000);
  assert.equal(c.sendBufferMaxBytes, 65_536);
  assert.equal(c.slowReaderTimeoutS, 10);
  assert.equal(c.resumeGraceS, 10);
  assert.equal(c.maxEventLoopDelayMs, 500);
  assert.equal(c.redisUrl, null, 'one process on its own unless REDIS_URL is set');
  assert.equal(c.instanceId, `${hostname()}:3000`);
  assert.ok(Object.isFrozen(c));
});

test('every variable is read', () => {
  const env = {
    PORT: '8080',
    HOST: '127.0.0.1',
    TICK_RATE: '2.3',
    MAX_PLAYERS_PER_ROOM: '100',
    MAX_ROOMS: '5',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'pretty',
    ALLOWED_ORIGINS: 'https://snake.example.com, http://localhost:5173',
    DATA_DIR: '/var/lib/snakepit',
    GRID_WIDTH: '50',
    GRID_HEIGHT: '25',
    WALLS: 'wrap',
    STONES: '12',
    CLIENT_DIR: 'public',
    WIRE_FORMAT: 'json',
    TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
    BENCH_ENDPOINTS: '1',
    MAX_CONNECTIONS_PER_IP: '5',
    MAX_MESSAGES_PER_SECOND: '12',
    HTTP_RATE_LIMIT: '0',
    PING_INTERVAL_MS: '25000',
    SEND_BUFFER_MAX_BYTES: '131072',
    SLOW_READER_TIMEOUT_S: '2.5',
    RESUME_GRACE_S: '0',
    CHECKPOINT_EVERY_S: '2.5',
    REPLAY_RETENTION_DAYS: '0.5',
    REPLAY_MAX_MB: '64',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    BOTS_MIN_SNAKES: '6',
    IDLE_SEAT_S: '30',
    REDIS_URL: 'redis://127.0.0.1:6379',
    INSTANCE_ID: 'snakepit-1',
  };
  assert.deepEqual(
    Object.keys(env).sort((a, b) => a.localeCompare(b)),
    Object.values(SETTINGS)
      .map((s) => s.env)
      .sort(),
    'this test sets every variable',
  );
  const c = parseConfig(env, '/srv');
  assert.deepEqual(
    { ...c },
    {
      port: 8080,
      host: '127.0.0.1',
      tickRate: 2.3,
      maxPlayersPerRoom: 100,
      maxRooms: 5,
      logLevel: 'warn',
      logFormat: 'pretty',
      allowedOrigins: ['https://snake.example.com', 'http://localhost:5173'],
      dataDir: '/var/lib/snakepit',
      gridWidth: 50,
      gridHeight: 25,
      walls: 'wrap',
      stones: 12,
      clientDir: '/srv/public',
      wireFormat: 'json',
      trustProxy: ['127.0.0.1', '10.0.0.0/8'],
      benchEndpoints: true,
      maxConnectionsPerIp: 5,
      maxMessagesPerSecond: 12,
      httpRateLimit: 0,
      pingIntervalMs: 25_000,
      sendBufferMaxBytes: 131_072,
      slowReaderTimeoutS: 2.5,
      resumeGraceS: 0,
      checkpointEveryS: 2.5,
      replayRetentionDays: 0.5,
      replayMaxMb: 64,
      maxEventLoopDelayMs: 0,
      botsMinSnakes: 6,
      idleSeatS: 30,
      redisUrl: 'redis://127.0.0.1:6379',
      instanceId: 'snakepit-1',
    },
  );
});

const bad: [Record<string, string>, string, RegExp][] = [
  [{ PORT: 'eighty' }, 'PORT', /whole number/],
  [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL', /redis:\/\//],
  [{ INSTANCE_ID: 'two words' }, 'INSTANCE_ID', /1-64/],
  [{ PORT: '70000' }, 'PORT', /0\.\.65535/],
  [{ TICK_RATE: '0' }, 'TICK_RATE', /0\.1\.\.60/],
  [{ TICK_RATE: 'fast' }, 'TICK_RATE', /a number/],
  [{ MAX_PLAYERS_PER_ROOM: '0' }, 'MAX_PLAYERS_PER_ROOM', /1\.\./],
  [{ MAX_ROOMS: '1.5' }, 'MAX_ROOMS', /whole number/],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of fatal, error/],
  [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT', /json, pretty/],
  [{ ALLOWED_ORIGINS: 'not a url' }, 'ALLOWED_ORIGINS', /not an origin/],
  [{ ALLOWED_ORIGINS: 'https://a.com/path' }, 'ALLOWED_ORIGINS', /no path/],
  [{ GRID_WIDTH: '5' }, 'GRID_WIDTH', /10\.\.1000/],
  [{ STONES: '-1' }, 'STONES', /0\.\./],
  [{ STONES: '241' }, 'STONES', /expected 0\.\.240 for a 60x40 board/],
  [{ STONES: '11', GRID_WIDTH: '10', GRID_HEIGHT: '10' }, 'STONES', /expected 0\.\.10 for a 10x10 board/],
  [{ WALLS: 'bouncy' }, 'WALLS', /one of solid, wrap, got "bouncy"/],
  [{ BENCH_ENDPOINTS: 'maybe' }, 'BENCH_ENDPOINTS', /true or false/],
  [{ TRUST_PROXY: '101' }, 'TRUST_PROXY', /at most 100/],
  [{ SLOW_READER_TIMEOUT_S: '0' }, 'SLOW_READER_TIMEOUT_S', /0\.1\.\.3600/],
  [{ RESUME_GRACE_S: '3601' }, 'RESUME_GRACE_S', /0\.\.3600/],
  [{ CHECKPOINT_EVERY_S: '-1' }, 'CHECKPOINT_EVERY_S', /0\.\.3600/],
  [{ WIRE_FORMAT: 'xml' }, 'WIRE_FORMAT', /binary, json/],
  [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', /not an address/],
  [{ MAX_CONNECTIONS_PER_IP: '0' }, 'MAX_CONNECTIONS_PER_IP', /1\.\./],
  [{ PING_INTERVAL_MS: '5' }, 'PING_INTERVAL_MS', /100\.\./],
];
for (const [env, variable, message] of bad) {
  test(`${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')} is refused, naming ${variable}`, () => {
    assert.throws(
      () => parseConfig(env),
      (err: unknown) =>
        err instanceof ConfigError && err.variable === variable && message.test(err.message) && err.message.startsWith(`${variable}:`),
    );
  });
}

test('TRUST_PROXY takes true/false, a hop count, or proxy addresses', () => {
  assert.equal(parseConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(parseConfig({ TRUST_PROXY: 'off' }).trustProxy, false);
  assert.equal(parseConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
  assert.equal(parseConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(parseConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy, ['127.0.0.1']);
});

test('the message rate limit follows the tick rate unless set', () => {
  assert.equal(parseConfig({}).maxMessagesPerSecond, 30);
  assert.equal(parseConfig({ TICK_RATE: '60' }).maxMessagesPerSecond, 180);
  assert.equal(parseConfig({ TICK_RATE: '60', MAX_MESSAGES_PER_SECOND: '40' }).maxMessagesPerSecond, 40);
});

test('STONES may fill a tenth of the board, and no more', () => {
  assert.equal(parseConfig({ STONES: String(maxStones({ width: 60, height: 40 })) }).stones, 240);
  assert.equal(parseConfig({ GRID_WIDTH: '90', GRID_HEIGHT: '60', STONES: '540' }).stones, 540);
});

test('every setting has one variable, help, and a default that parses', () => {
  const names = Object.values(SETTINGS).map((s) => s.env);
  assert.equal(new Set(names).size, names.length, 'no variable twice');
  for (const s of Object.values(SETTINGS)) {
    assert.match(s.env, /^[A-Z][A-Z0-9_]*$/);
    assert.ok(s.help.endsWith('.'), `${s.env}: help is a sentence`);
  }
  parseConfig({}); // throws if a written default is out of its own range
});

const stale = (file: string) => `${file} differs from the settings in server/src/config.ts: run \`npm run config:docs\``;

test('.env.example is written from the settings', () => {
  assert.equal(readFileSync(`${root}.env.example`, 'utf8'), envExample(), stale('.env.example'));
});

test("the README's Configuration table is written from the settings", () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  assert.ok(section.includes(readmeTable()), stale('README.md'));
});

/** Settings compose.yaml does not take from .env, and why. */
const NOT_FROM_ENV_IN_COMPOSE: Record<string, string> = {
  HOST: 'fixed to 0.0.0.0: inside its container the server must listen on every interface',
  DATA_DIR: 'fixed to /data, the volume',
  CLIENT_DIR: 'fixed to /app/client/dist, where the image puts the built client',
  BENCH_ENDPOINTS: 'left out: a benchmarking switch, never for a deployed server',
};

test('compose.yaml passes every setting through with the same default, or says why not', () => {
  const compose = readFileSync(`${root}compose.yaml`, 'utf8');
  const environment = /^ {4}environment:\n((?: {6}.*\n| *#.*\n)+)/m.exec(compose);
  assert.ok(environment, 'compose.yaml has an environment block');
  const lines = new Map<string, string>();
  for (const m of environment[1]!.matchAll(/^ {6}([A-Z][A-Z0-9_]*): (\S*)/gm)) lines.set(m[1]!, m[2]!);
  const known = new Set(Object.values(SETTINGS).map((s) => s.env));
  for (const name of lines.keys()) assert.ok(known.has(name), `compose.yaml sets ${name}, which is not a setting`);
  for (const s of Object.values(SETTINGS)) {
    const line = lines.get(s.env);
    const why = NOT_FROM_ENV_IN_COMPOSE[s.env];
    if (why === undefined) {
      assert.equal(line, `\${${s.env}:-${exampleValue(s)}}`, `compose.yaml: ${s.env} with the same default as .env.example`);
    } else if (line !== undefined) {
      assert.doesNotMatch(line, /\$\{/, `compose.yaml: ${s.env} is ${why}`);
    } else {
      assert.match(why, /^left out/, `compose.yaml: ${s.env} is missing (${why})`);
    }
  }
});
