// Top scores outlive their room and the process (DATA_DIR), and a bad directory or file does
// not stop the game.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TopScoreStore } from '../src/store.ts';
import { RoomBots, newStats } from '../../bench/bots.ts';
import { connect, startServer } from './helpers.ts';

const quiet = { info() {}, warn() {} };

test('a room scores, the server restarts, and the table is still there', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snakepit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const small = { dataDir: dir, gridWidth: 12, gridHeight: 12, tickRate: 50 };
  const first = await startServer(t, small, { seed: 1 });
  // A bot plays until it has eaten something and the room's table shows it.
  const bots = new RoomBots({ url: first.ws('pit'), count: 1, names: () => 'ann', stats: newStats() });
  await bots.start();
  const deadline = Date.now() + 15_000;
  while (bots.mirror.top.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const top = bots.mirror.top;
  assert.equal(top[0]?.name, 'ann');
  bots.stop();
  await first.close(); // shutdown flushes the store

  const second = await startServer(t, small, { seed: 1 });
  const c = await connect(second.ws('pit'));
  const snap = await c.next('snapshot');
  assert.ok(snap.top[0]!.score >= top[0]!.score, 'the best score came back after the restart');
  assert.equal(snap.top[0]!.name, 'ann');
  await c.close();
});

test('changes are saved on flush (shutdown) and survive a reload; unreadable files start empty', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snakepit-'));
  try {
    const a = new TopScoreStore(dir, quiet);
    a.set('one', [{ name: 'x', score: 3 }]);
    a.flush();
    const saved = JSON.parse(readFileSync(join(dir, 'top-scores.json'), 'utf8'));
    assert.deepEqual(saved.rooms.one, [{ name: 'x', score: 3 }]);
    assert.deepEqual(new TopScoreStore(dir, quiet).get('one'), [{ name: 'x', score: 3 }]);

    writeFileSync(join(dir, 'top-scores.json'), '{not json');
    const warnings: string[] = [];
    const b = new TopScoreStore(dir, { info() {}, warn: (_o, m) => warnings.push(m) });
    assert.deepEqual(b.get('one'), []);
    assert.equal(warnings.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable DATA_DIR is logged once and the scores stay in memory', (t) => {
  // A regular file where the directory should be: no directory can be made there.
  const dir = mkdtempSync(join(tmpdir(), 'snakepit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const notADir = join(dir, 'file');
  writeFileSync(notADir, '');
  const warnings: string[] = [];
  const s = new TopScoreStore(notADir, { info() {}, warn: (_o, m) => warnings.push(m) });
  s.set('r', [{ name: 'y', score: 1 }]);
  s.flush();
  s.set('r', [{ name: 'y', score: 2 }]);
  s.flush();
  assert.equal(warnings.length, 1);
  assert.deepEqual(s.get('r'), [{ name: 'y', score: 2 }]);
});
