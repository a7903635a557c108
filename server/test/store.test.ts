// Top scores outlive their room and the process (DATA_DIR); writing them never blocks the
// event loop for the whole file; and a bad directory or file does not stop the game, nor is an
// unreadable file written over.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { TopEntry } from '@snakepit/shared';
import { RoomBots, newStats } from '../../bench/bots.ts';
import { MAX_STORED_ROOMS, ROOMS_PER_SLICE, TopScoreStore } from '../src/store.ts';
import { connect, startServer } from './helpers.ts';

/** A log that keeps what it was told. */
function recorder() {
  const lines: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, obj: obj as Record<string, unknown> });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'snakepit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const saved = (dir: string) => JSON.parse(readFileSync(join(dir, 'top-scores.json'), 'utf8')) as { version: number; rooms: Record<string, TopEntry[]> };

test('a room scores, the server restarts, and the table is still there', async (t) => {
  const dir = tempDir(t);
  const small = { dataDir: dir, gridWidth: 12, gridHeight: 12, tickRate: 50 };
  const first = await startServer(t, small, { seed: 1 });
  // A bot plays until it has eaten something and the room's table shows it.
  const watcher = await connect(first.ws('pit'));
  const bots = new RoomBots({ url: first.ws('pit'), count: 1, names: () => 'ann', stats: newStats() });
  await bots.start();
  const top = await watcher.until(() => (watcher.mirror.top.length > 0 ? watcher.mirror.top : undefined), 15_000);
  assert.equal(top[0]?.name, 'ann');
  bots.stop();
  await watcher.close();
  await first.close(); // shutdown flushes the store

  const second = await startServer(t, small, { seed: 1 });
  const c = await connect(second.ws('pit'));
  const snap = await c.next('snapshot');
  assert.ok(snap.top[0]!.score >= top[0]!.score, 'the best score came back after the restart');
  assert.equal(snap.top[0]!.name, 'ann');
  await c.close();
});

test('nothing is written until the save delay or a flush; then it survives a reload', async (t) => {
  const dir = tempDir(t);
  const { lines, log } = recorder();
  const a = new TopScoreStore(dir, log);
  assert.deepEqual(lines, [], 'a missing file is a first start, not an error');
  a.set('one', [{ name: 'x', score: 3 }]);
  assert.deepEqual(readdirSync(dir), [], 'set() does not write');
  await a.flush();
  assert.deepEqual(saved(dir), { version: 1, rooms: { one: [{ name: 'x', score: 3 }] } });
  assert.deepEqual(new TopScoreStore(dir, log).get('one'), [{ name: 'x', score: 3 }]);
  assert.deepEqual(readdirSync(dir), ['top-scores.json'], 'no temporary file left behind');
});

test('changes made while a write is in flight are written by the next one', async (t) => {
  const dir = tempDir(t);
  const s = new TopScoreStore(dir, recorder().log);
  s.set('a', [{ name: 'ann', score: 1 }]);
  const first = s.flush(); // starts a write
  s.set('b', [{ name: 'bob', score: 2 }]); // during it
  const second = s.flush();
  s.set('a', [{ name: 'ann', score: 5 }]);
  await Promise.all([first, second, s.flush()]);
  assert.deepEqual(saved(dir).rooms, { b: [{ name: 'bob', score: 2 }], a: [{ name: 'ann', score: 5 }] });
  assert.deepEqual(readdirSync(dir), ['top-scores.json']);
});

test('10,000 rooms are written a slice at a time, letting the event loop run in between', async (t) => {
  const dir = tempDir(t);
  const s = new TopScoreStore(dir, recorder().log);
  const table = Array.from({ length: 15 }, (_, i) => ({ name: `player-${i}`, score: 1000 - i }));
  for (let r = 0; r < MAX_STORED_ROOMS + 5; r++) s.set(`room-${r}`, table);

  // Count turns of the event loop, and the longest stretch without one, while the file is written.
  let turns = 0;
  let longestMs = 0;
  let last = performance.now();
  let running = true;
  const turn = () => {
    const now = performance.now();
    longestMs = Math.max(longestMs, now - last);
    last = now;
    turns++;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  await s.flush();
  running = false;
  // The gap includes garbage collection and time the machine gave other processes.
  t.diagnostic(`${turns} event-loop turns during the write; the longest gap between two was ${longestMs.toFixed(1)} ms`);

  assert.ok(turns >= MAX_STORED_ROOMS / ROOMS_PER_SLICE, `the loop turned ${turns} times`);
  const rooms = saved(dir).rooms;
  assert.equal(Object.keys(rooms).length, MAX_STORED_ROOMS, 'the least recently changed rooms were dropped');
  assert.equal(rooms['room-0'], undefined);
  assert.deepEqual(rooms[`room-${MAX_STORED_ROOMS + 4}`], table);
});

test('a file that is not valid JSON is logged as an error, and never written over', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'top-scores.json');
  writeFileSync(file, '{not json');
  const { lines, log } = recorder();
  const s = new TopScoreStore(dir, log);
  assert.deepEqual(s.get('one'), []);
  assert.deepEqual(
    lines.map((l) => [l.level, l.obj.file]),
    [['error', file]],
  );
  s.set('one', [{ name: 'x', score: 3 }]);
  await s.flush();
  assert.deepEqual(s.get('one'), [{ name: 'x', score: 3 }], 'the game goes on in memory');
  assert.equal(readFileSync(file, 'utf8'), '{not json', 'the file is left for a person to look at');
  assert.deepEqual(readdirSync(dir), ['top-scores.json']);
});

test('a file that cannot be read (not "first start") is logged as an error naming it', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'top-scores.json');
  mkdirSync(file); // reading a directory fails with EISDIR, even as root
  const { lines, log } = recorder();
  const s = new TopScoreStore(dir, log);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.level, 'error');
  assert.equal(lines[0]!.obj.file, file);
  assert.match(String((lines[0]!.obj.err as NodeJS.ErrnoException).code), /EISDIR/);
  s.set('r', [{ name: 'y', score: 1 }]);
  await s.flush();
  assert.equal(lines.length, 1, 'no attempt to write over it');
  assert.deepEqual(s.get('r'), [{ name: 'y', score: 1 }]);
});

test('an unwritable DATA_DIR is logged once and the scores stay in memory', async (t) => {
  // A regular file where the directory should be: no directory can be made there.
  const notADir = join(tempDir(t), 'file');
  writeFileSync(notADir, '');
  const { lines, log } = recorder();
  const s = new TopScoreStore(notADir, log);
  s.set('r', [{ name: 'y', score: 1 }]);
  await s.flush();
  s.set('r', [{ name: 'y', score: 2 }]);
  await s.flush();
  assert.deepEqual(
    lines.map((l) => l.level),
    ['warn'],
  );
  assert.deepEqual(s.get('r'), [{ name: 'y', score: 2 }]);
});
