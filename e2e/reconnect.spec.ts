// When the server goes away the page says so and reconnects by itself, with backoff, asking for
// its snake back: a restarted server that restored the room gives it back; one that does not
// hold the game makes the page say so, and Play starts a new one. And when a server turns the
// page away before the upgrade, the page shows the server's reason. (A dropped socket whose
// snake is held by the same server: netcode.spec.ts.)

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
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
