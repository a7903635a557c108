// When the server goes away the page says so and reconnects by itself, with backoff, asking for
// its snake back: a restarted server that restored the room gives it back; one that does not
// hold the game makes the page say so, and Play starts a new one. With real processes: after
// SIGTERM the page plays on with the same score and length within 3 s of the new process
// listening; after kill -9 it plays on from the last periodic checkpoint and says, once, that
// play was lost. And when a server turns the page away before the upgrade, the page shows the
// server's reason. (A dropped socket whose snake is held by the same server: netcode.spec.ts.)

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { type Page, expect, test } from '@playwright/test';
import { type ServerMessage, decodeServerFrame } from '@snakepit/shared';
import { type DebugView, debugView, freePort, joinGame } from './helpers.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A data directory of its own for each server, so no test restores another's rooms. */
function dataDir(port: number): string {
  return `${root}/test-results/reconnect-data/${port}`;
}

async function startServer(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir(port),
      // No bots: the test's snakes are the only ones, as on the shared test server.
      BOTS_MIN_SNAKES: '0',
      ...env,
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill('SIGKILL');
  throw new Error('server did not start');
}

function stop(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}

test('the server restarts: the page shows "reconnecting" and the snake waiting, then the player is back', async ({ page }) => {
  test.slow(); // two server starts
  const port = await freePort();
  const data = dataDir(port);
  let server = await startServer(port, { DATA_DIR: data });
  try {
    await joinGame(page, 'stayer', 'restart', '', `http://127.0.0.1:${port}`);
    const { id } = (await debugView(page)).me!;
    await stop(server);
    const status = page.getByTestId('connection-status');
    await expect(status).toContainText('reconnecting');
    await expect(status).toContainText('the server is restarting');
    await expect(page.getByTestId('notice')).toContainText(/connection lost — your snake is waiting \(\d+ s\)/);
    // The new process restores the room from DATA_DIR, and the page's token takes the player back.
    server = await startServer(port, { DATA_DIR: data });
    await expect(page.getByTestId('notice')).toHaveText('back in the game', { timeout: 15_000 });
    await expect(status).toHaveText('connected');
    expect((await debugView(page)).me!.id).toBe(id);
    await expect(page.getByTestId('scoreboard')).toContainText('stayer');
  } finally {
    await stop(server);
  }
});

test('a server that does not hold the game: the page says it could not be resumed, and Play plays again', async ({ page }) => {
  test.slow(); // two server starts
  const port = await freePort();
  let server = await startServer(port, { DATA_DIR: dataDir(port) });
  try {
    await joinGame(page, 'stayer', 'forgot', '', `http://127.0.0.1:${port}`);
    await stop(server);
    await expect(page.getByTestId('notice')).toContainText('connection lost — your snake is waiting');
    // A fresh data directory: the new process has never heard of this game.
    server = await startServer(port, { DATA_DIR: dataDir(port + 1) });
    await expect(page.getByTestId('join-error')).toContainText('your game could not be resumed', { timeout: 15_000 });
    await expect(page.getByTestId('join-screen')).toBeVisible();
    await page.getByTestId('play-button').click();
    await expect(page.getByTestId('connection-status')).toHaveText('connected');
    await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me?.alive === true);
    await expect(page.getByTestId('scoreboard')).toContainText('stayer');
  } finally {
    await stop(server);
  }
});

test("turned away before the upgrade, the page shows the server's reason", async ({ page }) => {
  const port = await freePort();
  const server = await startServer(port, { MAX_CONNECTIONS_PER_IP: '1' });
  try {
    const first = await page.context().newPage();
    await joinGame(first, 'first', 'full', '', `http://127.0.0.1:${port}`);
    await page.goto(`http://127.0.0.1:${port}/?room=full`);
    await page.getByTestId('name-input').fill('second');
    await page.getByTestId('play-button').click();
    await expect(page.getByTestId('connection-status')).toContainText('too many connections from your address');
  } finally {
    await stop(server);
  }
});

/** Starts the built server and resolves once its log says it listens, with the time it did (Date.now()). */
async function startListening(port: number, env: Record<string, string>): Promise<{ server: ChildProcess; listeningAt: number }> {
  const server = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: root,
    // Shedding load is not what these tests are about: a start on a busy machine must not turn the page away.
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      BOTS_MIN_SNAKES: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let log = '';
  const listeningAt = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 45_000);
    server.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      if (/snakepit is ready/.test(log)) {
        clearTimeout(timer);
        resolve(Date.now());
      }
    });
    server.once('exit', () => reject(new Error(`server exited:\n${log}`)));
  });
  server.stdout!.resume();
  return { server, listeningAt };
}

/** Steers in rows over the wrapping board (a step down, then along again) until the page's snake has scored. */
async function scoreOnce(page: Page): Promise<void> {
  /** Waits until the snake heads `dir` (or, with a number, has moved 3 columns from it) or has scored; true when it has scored. */
  const until = async (want: string | number): Promise<boolean> => {
    await page.waitForFunction(
      (w) => {
        const me = (window as { __snakepit?: DebugView }).__snakepit?.me;
        if (!me) return false;
        if (me.score > 0) return true;
        return typeof w === 'string' ? me.dir === w : Math.abs((me.head?.[0] ?? w) - w) >= 3;
      },
      want,
      { timeout: 10_000 },
    );
    return (await debugView(page)).me!.score > 0;
  };
  for (let i = 0; i < 100; i++) {
    const me = (await debugView(page)).me!;
    if (me.score > 0) return;
    if (me.dir === 'up' || me.dir === 'down') {
      await page.keyboard.press('ArrowRight');
      if (await until('right')) return;
      continue;
    }
    const along = me.dir === 'left' ? 'left' : 'right';
    await page.keyboard.press('ArrowDown');
    if (await until('down')) return;
    await page.keyboard.press(along === 'left' ? 'ArrowLeft' : 'ArrowRight');
    if (await until(along)) return;
    // A few cells along the new row before the next step down.
    if (await until((await debugView(page)).me!.head![0])) return;
  }
  throw new Error('the snake did not score');
}

/** What the server saved of player `id` in room `room`: the checkpoint's tick, score and length. */
function saved(data: string, room: string, id: number): { tick: number; score: number; length: number; final: boolean } | null {
  const db = new DatabaseSync(join(data, 'snakepit.db'), { readOnly: true });
  try {
    const row = db.prepare('SELECT data FROM checkpoints WHERE room = ?').get(room) as { data: string } | undefined;
    if (!row) return null;
    const c = JSON.parse(row.data) as {
      final?: boolean;
      state: { tick: number; players: { id: number; score: number; snake: { body: number[] } | null }[] };
    };
    const p = c.state.players.find((q) => q.id === id);
    return p?.snake ? { tick: c.state.tick, score: p.score, length: p.snake.body.length, final: c.final === true } : null;
  } finally {
    db.close();
  }
}

/** What the page received when it took player `id` back: the snapshot, the joined, and when (Date.now()). */
interface Return {
  readonly snapshot: Extract<ServerMessage, { type: 'snapshot' }>;
  readonly joined: Extract<ServerMessage, { type: 'joined' }>;
  readonly at: number;
}

/** Watches the page's next sockets for the `joined` that gives player `id` back. */
function watchForReturn(page: Page, id: number): Promise<Return> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => {
      let snapshot: Return['snapshot'] | null = null;
      ws.on('framereceived', ({ payload }) => {
        const msg = decodeServerFrame(typeof payload === 'string' ? payload : new Uint8Array(payload));
        if (msg.type === 'snapshot') snapshot = msg;
        else if (msg.type === 'joined' && msg.id === id && snapshot) resolve({ snapshot, joined: msg, at: Date.now() });
      });
    });
  });
}

/** Player `id`'s score and length in a snapshot. */
function inSnapshot(snapshot: Return['snapshot'], id: number): { score: number; length: number } {
  return { score: snapshot.players.find((p) => p.id === id)!.score, length: snapshot.snakes.find((s) => s.id === id)!.body.length };
}

/**
 * A wrapping 20x20 board at 20 ticks/s without stones: a snake steered in rows finds food within
 * seconds. Left to go straight after that it can die only by eating its way to more than 20 cells
 * in its row or column, which a busy machine's slow test may give it time to do.
 */
const SMALL_WRAP = { GRID_WIDTH: '20', GRID_HEIGHT: '20', WALLS: 'wrap', STONES: '0', TICK_RATE: '20', RESUME_GRACE_S: '30' };

test('SIGTERM, start again: the same page plays on with the same score and length within 3 s of the new process listening', async ({
  page,
}) => {
  test.setTimeout(180_000); // two server starts, and a snake to feed
  const port = await freePort();
  const data = dataDir(port);
  const env = { ...SMALL_WRAP, DATA_DIR: data };
  let { server } = await startListening(port, env);
  try {
    await joinGame(page, 'keeper', 'sigterm', '', `http://127.0.0.1:${port}`);
    const { id } = (await debugView(page)).me!;
    await scoreOnce(page);
    await stop(server);
    const kept = saved(data, 'sigterm', id)!;
    expect(kept.final).toBe(true);
    expect(kept.score).toBeGreaterThan(0);
    const returned = watchForReturn(page, id);
    const second = await startListening(port, env);
    server = second.server;
    const { snapshot, joined, at } = await returned;
    expect(at - second.listeningAt, 'the player is back within 3 s of the new process listening').toBeLessThan(3000);
    expect(snapshot.tick).toBe(kept.tick);
    expect(inSnapshot(snapshot, id)).toEqual({ score: kept.score, length: kept.length });
    expect(joined.lostMs).toBeUndefined();
    await expect(page.getByTestId('notice')).toHaveText('back in the game');
    await expect(page.getByTestId('connection-status')).toHaveText('connected');
    // The page plays on: it draws its own snake in ticks after the restored one, alive, or dead
    // only after eating more (straight on this board, growing is the one way to die).
    const playing = await page.waitForFunction(
      (after) => {
        const v = (window as { __snakepit?: DebugView }).__snakepit;
        const me = v?.me;
        return me?.id === after.id && v!.tick > after.tick ? { alive: me.alive, score: me.score } : null;
      },
      { id, tick: snapshot.tick },
      { polling: 100 },
    );
    const seen = (await playing.jsonValue())!;
    expect(seen.alive || seen.score > kept.score, `alive, or dead after eating more: ${JSON.stringify(seen)}`).toBe(true);
  } finally {
    await stop(server);
  }
});

test('kill -9, start again: the page plays on from the last periodic checkpoint, and says once that play was lost', async ({ page }) => {
  test.setTimeout(180_000); // two server starts, and a snake to feed
  const port = await freePort();
  const data = dataDir(port);
  const env = { ...SMALL_WRAP, DATA_DIR: data, CHECKPOINT_EVERY_S: '0.5' };
  let { server } = await startListening(port, env);
  try {
    await joinGame(page, 'survivor', 'crash', '', `http://127.0.0.1:${port}`);
    const { id } = (await debugView(page)).me!;
    await scoreOnce(page);
    // A periodic checkpoint with the score is on disk; then the crash.
    await expect.poll(() => saved(data, 'crash', id)?.score ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    const kept = saved(data, 'crash', id)!; // what the crash left: nothing was written after it
    expect(kept.final).toBe(false);
    const returned = watchForReturn(page, id);
    const second = await startListening(port, env);
    server = second.server;
    const { snapshot, joined, at } = await returned;
    expect(at - second.listeningAt, 'the player is back within 3 s of the new process listening').toBeLessThan(3000);
    expect(snapshot.tick).toBe(kept.tick);
    expect(inSnapshot(snapshot, id)).toEqual({ score: kept.score, length: kept.length });
    expect(joined.lostMs).toBe(500);
    const notice = page.getByTestId('notice');
    await expect(notice).toHaveText('back in the game — the server crashed, so up to 0.5 s of play were lost');
    // Once: a later drop and resume says nothing of it.
    await page.evaluate(() => (window as unknown as { __snakepitDrop: (reconnect: boolean) => void }).__snakepitDrop(true));
    await expect(notice).toHaveText('back in the game');
  } finally {
    await stop(server);
  }
});
