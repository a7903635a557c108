// The real server process, stopped the way Docker and systemd stop it: SIGTERM. Players are told
// (close 1012 "restarting": their rooms were saved), new connections are refused, the last top
// scores are in the database, and the process exits by itself, quickly, with status 0.
// (checkpoint.test.ts starts the next process and resumes the game.)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import WebSocket from 'ws';
import { RoomBots, newStats } from '../../bench/bots.ts';
import { DB_FILE } from '../src/store/sqlite.ts';
import { connect } from './helpers.ts';

const root = new URL('../..', import.meta.url).pathname;

test('SIGTERM: clients get 1012, scores are saved, the process exits 0 within 5 s', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'snakepit-shutdown-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      TICK_RATE: '50',
      GRID_WIDTH: '12',
      GRID_HEIGHT: '12',
      LOG_LEVEL: 'info',
      // No bots: the test's players are the only snakes on its small board. No load shedding:
      // a busy machine's event-loop delay must not refuse the test's connections (503).
      BOTS_MIN_SNAKES: '0',
      MAX_EVENT_LOOP_DELAY_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 45_000);
    server.stdout.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /"port":(\d+).*snakepit is ready/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));

  // Play until the room has a top score, with someone watching too.
  const watcher = await connect(`ws://127.0.0.1:${port}/ws?room=pit`);
  const bots = new RoomBots({ url: `ws://127.0.0.1:${port}/ws?room=pit`, count: 1, names: () => 'ann', stats: newStats() });
  await bots.start();
  await watcher.until(() => (watcher.mirror.top.length > 0 ? true : undefined), 30_000);

  const stopping = performance.now();
  server.kill('SIGTERM');
  const seen = watcher.mirror.top[0]!;
  const goodbye = await watcher.closed;
  // A newcomer after the signal is turned away (503, or the port is already closed).
  const late = await new Promise<string>((resolve) => {
    const c = new WebSocket(`ws://127.0.0.1:${port}/ws?room=pit`);
    c.once('open', () => resolve('open'));
    c.once('unexpected-response', (_q, r) => resolve(String(r.statusCode)));
    c.once('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
  });
  const code = await exited;
  const tookMs = performance.now() - stopping;
  bots.stop();
  t.diagnostic(`exited ${code} after ${tookMs.toFixed(0)} ms; watcher closed ${goodbye.code} "${goodbye.reason}"; newcomer: ${late}`);

  assert.equal(goodbye.code, 1012);
  assert.equal(goodbye.reason, 'restarting');
  assert.notEqual(late, 'open');
  assert.equal(code, 0);
  assert.ok(tookMs < 5000, `took ${tookMs} ms`);
  const db = new DatabaseSync(join(dataDir, DB_FILE), { readOnly: true });
  const row = db.prepare("SELECT entries FROM top_scores WHERE room = 'pit'").get() as { entries: string } | undefined;
  const rooms = db
    .prepare('SELECT room FROM checkpoints')
    .all()
    .map((r) => r.room);
  db.close();
  const table = JSON.parse(row?.entries ?? '[]') as { name: string; score: number }[];
  assert.equal(table[0]?.name, 'ann', 'top scores written at shutdown');
  assert.ok(table[0]!.score >= seen.score, 'the last table was written, not an older one');
  assert.deepEqual(rooms, ['pit'], 'the room was checkpointed');
  assert.match(log, /"msg":"shutting down"/);
  assert.match(log, /"msg":"stopped"/);
});
