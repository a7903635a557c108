// Company in real Chromium: a person alone in a room made with ?bots=4 sees bots join (marked
// "bot" on the scoreboard, counted in the room list) and sees one leave when a second person
// comes; and a full room tells its watcher when a seat frees, which Enter then takes.
// The test server runs with BOTS_MIN_SNAKES=0, so only rooms that ask have bots.

import { type Page, expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { type DebugView, uniqueRoom } from './helpers.ts';

// A page and up to ten sockets in one room: far more than the default 30 s on a busy two-core machine.
test.describe.configure({ timeout: 180_000 });

/**
 * Joins from the join screen and waits for the player's row on the scoreboard: not for a live
 * snake, which a slow machine can lose to a wall before the test looks (dead, it keeps its seat).
 */
async function enter(page: Page, name: string, room: string, query = ''): Promise<void> {
  await page.goto(`/?room=${room}&debug=1${query}`);
  await page.getByTestId('name-input').fill(name);
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
  await expect(page.getByTestId('scoreboard').locator('li.me')).toContainText(name);
}

/** A person over a plain WebSocket who joins `room` as `name` and never steers. */
function player(room: string, name: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${process.env.E2E_PORT}/ws?room=${room}`);
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'join', name }));
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

const botLabels = (page: Page) => page.getByTestId('scoreboard').locator('.bot-label');

test('one person sees bots join, give a seat to a second person, and come back when that person goes', async ({ page }) => {
  const room = uniqueRoom('bots');
  await enter(page, 'ann', room, '&bots=4');
  await expect(botLabels(page)).toHaveCount(3);
  await expect(page.getByTestId('scoreboard').locator('li')).toHaveCount(4);

  // The second person plays over a plain socket: a second browser is more than a busy machine needs.
  const bob = await player(room, 'bob');
  await expect(page.getByTestId('scoreboard')).toContainText('bob');
  await expect(botLabels(page)).toHaveCount(2);
  const rooms = (await (await page.request.get('/api/rooms')).json()) as { id: string; humans: number; bots: number; players: number }[];
  expect(rooms.find((r) => r.id === room)).toMatchObject({ humans: 2, bots: 2, players: 4 });

  // Leaving on purpose (a dropped socket would be held for the resume grace first).
  bob.send(JSON.stringify({ type: 'leave' }));
  bob.close();
  await expect(page.getByTestId('scoreboard')).not.toContainText('bob');
  await expect(botLabels(page)).toHaveCount(3);
});

test('a full room: the watcher is told when a seat frees and takes it with Enter', async ({ page }) => {
  const room = uniqueRoom('full');
  // Ten players that never steer, over plain sockets: the room is full of people.
  const sockets = await Promise.all(Array.from({ length: 10 }, (_, i) => player(room, `p${i}`)));
  try {
    await page.goto(`/?room=${room}&debug=1`);
    await expect(page.getByTestId('room-list').locator('li', { hasText: room })).toContainText('10/10 · full');
    await page.getByTestId('name-input').fill('zoe');
    await page.getByTestId('play-button').click();
    await expect(page.getByTestId('notice')).toContainText('full');

    sockets[0]!.send(JSON.stringify({ type: 'leave' }));
    await expect(page.getByTestId('notice')).toHaveText('A seat is free: press Enter or tap to play.');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me !== null);
    await expect(page.getByTestId('scoreboard')).toContainText('zoe');
  } finally {
    for (const ws of sockets) ws.close();
  }
});
