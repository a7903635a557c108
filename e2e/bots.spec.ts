// Company in real Chromium: a person alone in a room made with ?bots=4 sees bots join (marked
// "bot" on the scoreboard, counted in the room list) and sees one leave when a second person
// comes; and a full room tells its watcher when a seat frees, which Enter then takes.
// The test server runs with BOTS_MIN_SNAKES=0, so only rooms that ask have bots.

import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { type DebugView, joinGame, uniqueRoom } from './helpers.ts';

const botLabels = (page: import('@playwright/test').Page) => page.getByTestId('scoreboard').locator('.bot-label');

test('one person sees bots join, give a seat to a second person, and come back when that person goes', async ({ browser, page }) => {
  const room = uniqueRoom('bots');
  await joinGame(page, 'ann', room, '&bots=4');
  await expect(botLabels(page)).toHaveCount(3);
  await expect(page.getByTestId('scoreboard').locator('li')).toHaveCount(4);

  const other = await browser.newContext();
  const bob = await other.newPage();
  await joinGame(bob, 'bob', room);
  await expect(botLabels(page)).toHaveCount(2);
  await expect(page.getByTestId('scoreboard')).toContainText('bob');

  const lobby = await browser.newPage();
  await lobby.goto(`/?room=${room}`);
  await expect(lobby.getByTestId('room-list').locator('li', { hasText: room })).toContainText('2 playing + 2 bots · 4/10');
  await lobby.close();

  await other.close();
  await expect(page.getByTestId('scoreboard')).not.toContainText('bob');
  await expect(botLabels(page)).toHaveCount(3);
});

test('a full room: the watcher is told when a seat frees and takes it with Enter', async ({ page }) => {
  const room = uniqueRoom('full');
  const url = `ws://127.0.0.1:${process.env.E2E_PORT}/ws?room=${room}`;
  // Ten players that never steer, over plain sockets: the room is full of people.
  const sockets = await Promise.all(
    Array.from(
      { length: 10 },
      (_, i) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.once('open', () => {
            ws.send(JSON.stringify({ type: 'join', name: `p${i}` }));
            resolve(ws);
          });
          ws.once('error', reject);
        }),
    ),
  );
  try {
    await page.goto(`/?room=${room}&debug=1`);
    await expect(page.getByTestId('room-list').locator('li', { hasText: room })).toContainText('10/10 · full');
    await page.getByTestId('name-input').fill('zoe');
    await page.getByTestId('play-button').click();
    await expect(page.getByTestId('notice')).toContainText('full');
    await expect(page.getByTestId('notice')).not.toContainText('A seat is free');

    sockets[0]!.send(JSON.stringify({ type: 'leave' }));
    await expect(page.getByTestId('notice')).toHaveText('A seat is free: press Enter or tap to play.');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me !== null);
    await expect(page.getByTestId('scoreboard')).toContainText('zoe');
  } finally {
    for (const ws of sockets) ws.close();
  }
});
