// Restarts lose no game, with the real server process on a real DATA_DIR: a player scores,
// the server gets SIGTERM (clients hear 1012 "restarting"), a new process starts on the same
// directory, and the page's welcome token takes back the same player with the same score and
// length. After kill -9 the rooms come back as the last periodic checkpoint saved them.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type TestContext, test } from 'node:test';
import { DIR_NAMES } from '@snakepit/shared';
import { decodeCheckpoint } from '../src/store/checkpoint.ts';
import { DB_FILE } from '../src/store/sqlite.ts';
import { type TestClient, connect } from './helpers.ts';

const root = new URL('../..', import.meta.url).pathname;

interface Server {
  readonly port: number;
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  log(): string;
}

/** Starts server/src/main.ts on `dataDir`; resolves once it listens. */
async function serve(t: TestContext, dataDir: string, env: Record<string, string> = {}): Promise<Server> {
  const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    // A wrapping board without stones: a snake going straight never dies, so the test cannot lose it.
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      TICK_RATE: '20',
      GRID_WIDTH: '16',
      GRID_HEIGHT: '16',
      WALLS: 'wrap',
      RESUME_GRACE_S: '30',
      LOG_LEVEL: 'info',
      // No bots: one could run into the test's snake. No load shedding: a busy machine's
      // event-loop delay must not refuse the test's own connections (503).
      BOTS_MIN_SNAKES: '0',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 45_000);
    proc.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /"port":(\d+).*snakepit is ready/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  return { port, proc, exited, log: () => log };
}

/** Joins as `name` and steers to the first food in reach; resolves when the player has scored. */
async function playUntilScored(c: TestClient, name: string): Promise<{ id: number; token: string }> {
  const welcome = await c.next('welcome');
  c.send({ type: 'join', name });
  const id = (await c.next('joined')).id;
  let seq = 0;
  await c.until(
    () => {
      const me = c.mirror.players.get(id);
      if (me && me.score > 0) return true;
      const body = c.mirror.snakes.get(id)?.body;
      // One turn at a time: the next once the last is in the state.
      if (!me || body === undefined || body.length < 2 || me.ack < seq) return undefined;
      const board = c.mirror.board;
      const [head, neck] = [body[0]!, body[1]!];
      const foodInColumn = [...c.mirror.food.keys()].find((cell) => board.x(cell) === board.x(head));
      const vertical = board.x(head) === board.x(neck);
      // Sideways until a food's column, then up or down into it (the board wraps, so straight
      // on leads to it); sideways again if it was missed.
      if (!vertical && foodInColumn !== undefined) {
        c.send({ type: 'turn', dir: DIR_NAMES[board.y(foodInColumn) < board.y(head) ? 0 : 2], seq: ++seq });
      } else if (vertical && foodInColumn === undefined) {
        c.send({ type: 'turn', dir: 'left', seq: ++seq });
      }
      return undefined;
    },
    20_000,
    'the player did not score',
  );
  return { id, token: welcome.token };
}

/** What a page sees of player `id`: score and snake length. */
function seen(c: TestClient, id: number): { score: number; length: number } {
  return { score: c.mirror.players.get(id)!.score, length: c.mirror.snakes.get(id)!.body.length };
}

test('SIGTERM checkpoints every room; the next process gives each page its own snake back', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'snakepit-restart-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await serve(t, dataDir);
  const page = await connect(`ws://127.0.0.1:${first.port}/ws?room=pit&wire=json`);
  const { id, token } = await playUntilScored(page, 'ann');

  const stopping = performance.now();
  first.proc.kill('SIGTERM');
  const goodbye = await page.closed;
  const before = seen(page, id); // the last tick the page got is the one that was saved
  assert.deepEqual(goodbye, { code: 1012, reason: 'restarting' });
  assert.equal(await first.exited, 0);
  assert.ok(performance.now() - stopping < 5000);

  const second = await serve(t, dataDir);
  assert.match(second.log(), /"rooms":1.*rooms restored; waiting for their players/);
  const back = await connect(`ws://127.0.0.1:${second.port}/ws?room=pit&wire=json&resume=${token}`);
  const joined = await back.next('joined');
  assert.equal(joined.id, id, 'the same player');
  assert.equal(joined.lostMs, undefined, 'a clean stop lost nothing, and the page is not told otherwise');
  await back.next('snapshot');
  assert.deepEqual(seen(back, id), before, 'the same score and length');
  assert.ok(before.score > 0);
  // And the game goes on: the room ticks again.
  const tick = back.mirror.tick;
  await back.next('tick', (m) => m.tick > tick + 2);
  await back.close();
  second.proc.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('kill -9: the rooms come back as the last periodic checkpoint saved them', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'snakepit-crash-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await serve(t, dataDir, { CHECKPOINT_EVERY_S: '0.2' });
  const page = await connect(`ws://127.0.0.1:${first.port}/ws?room=pit&wire=json`);
  const { id, token } = await playUntilScored(page, 'bob');
  // Wait until a checkpoint with the score is on disk (a periodic one: nobody has stopped).
  const db = new DatabaseSync(join(dataDir, DB_FILE), { readOnly: true });
  t.after(() => db.close());
  const saved = () => {
    const row = db.prepare("SELECT data FROM checkpoints WHERE room = 'pit'").get() as { data: string } | undefined;
    return row ? decodeCheckpoint(row.data) : undefined;
  };
  await page.until(() => ((saved()?.state.players.find((p) => p.id === id)?.score ?? 0) > 0 ? true : undefined), 30_000, 'no checkpoint');
  first.proc.kill('SIGKILL');
  await first.exited;
  await page.closed;
  const last = saved()!; // what the crash left: the process wrote nothing after this
  const player = last.state.players.find((p) => p.id === id)!;

  const second = await serve(t, dataDir, { CHECKPOINT_EVERY_S: '0.2' });
  const back = await connect(`ws://127.0.0.1:${second.port}/ws?room=pit&wire=json&resume=${token}`);
  const joined = await back.next('joined');
  assert.equal(joined.id, id);
  assert.equal(joined.lostMs, 200, 'the page is told that up to CHECKPOINT_EVERY_S of play was lost');
  const snap = await back.next('snapshot');
  assert.equal(snap.tick, last.state.tick, "the checkpoint's tick");
  assert.deepEqual(seen(back, id), { score: player.score, length: player.snake!.body.length });
  await back.close();
  second.proc.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});
