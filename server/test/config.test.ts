// Configuration: the defaults, every variable, and bad values refused by name.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../src/config.ts';

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
  assert.equal(c.maxEventLoopDelayMs, 500);
  assert.ok(Object.isFrozen(c));
});

test('every variable is read', () => {
  const c = parseConfig(
    {
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
      MAX_EVENT_LOOP_DELAY_MS: '0',
    },
    '/srv',
  );
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
      maxEventLoopDelayMs: 0,
    },
  );
});

const bad: [Record<string, string>, string, RegExp][] = [
  [{ PORT: 'eighty' }, 'PORT', /whole number/],
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
  [{ WIRE_FORMAT: 'xml' }, 'WIRE_FORMAT', /binary, json/],
  [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', /not an address/],
  [{ MAX_CONNECTIONS_PER_IP: '0' }, 'MAX_CONNECTIONS_PER_IP', /1\.\./],
  [{ PING_INTERVAL_MS: '5' }, 'PING_INTERVAL_MS', /100\.\./],
];
for (const [env, variable, message] of bad) {
  test(`${variable}=${Object.values(env)[0]} is refused, naming the variable`, () => {
    assert.throws(
      () => parseConfig(env),
      (err: unknown) => err instanceof ConfigError && err.variable === variable && message.test(err.message) && err.message.startsWith(`${variable}:`),
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
