// When the server goes away the page says so and comes back by itself: it reconnects with
// backoff and the player is playing again, with no click. And when a server turns the page
// away before the upgrade, the page shows the server's reason.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { type DebugView, freePort, joinGame } from './helpers.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function startServer(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: `${root}/test-results/reconnect-data`, ...env },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
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

test('the server restarts: the page shows "reconnecting", then plays on by itself', async ({ page }) => {
  const port = await freePort();
  let server = await startServer(port);
  try {
    await joinGame(page, 'stayer', 'restart', '', `http://127.0.0.1:${port}`);
    await stop(server);
    const status = page.getByTestId('connection-status');
    await expect(status).toContainText('reconnecting');
    await expect(status).toContainText('the server is restarting');
    server = await startServer(port);
    await expect(status).toHaveText('connected', { timeout: 15_000 });
    await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me?.alive === true);
    await expect(page.getByTestId('scoreboard')).toContainText('stayer');
  } finally {
    await stop(server);
  }
});

test('turned away before the upgrade, the page shows the server\'s reason', async ({ page }) => {
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
