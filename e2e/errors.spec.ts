// What the page does with a server it cannot fully understand, in real Chromium, with
// Playwright standing in for the server on the socket (page.routeWebSocket): a newer protocol
// gets a reload panel instead of a frozen board, and a frame that will not decode is counted
// in the debug hook while the game plays on.

import { type WebSocketRoute, expect, test } from '@playwright/test';
import { type DebugView, debugView, joinGame, uniqueRoom } from './helpers.ts';

const isGameSocket = (url: URL) => url.pathname === '/ws';

test('a server speaking a newer protocol: the page offers a reload and stops connecting', async ({ page }) => {
  let sockets = 0;
  await page.routeWebSocket(isGameSocket, (ws) => {
    sockets++;
    // A text frame is JSON to the client, whatever format it asked for.
    ws.send(
      JSON.stringify({
        type: 'welcome',
        tick: 0,
        protocol: 999,
        room: 'future',
        board: { width: 60, height: 40, walls: 'solid' },
        stones: 0,
        tickRate: 10,
        maxPlayers: 10,
      }),
    );
  });
  await page.goto('/?room=future&debug=1');
  await page.getByTestId('name-input').fill('old-tab');
  await page.getByTestId('play-button').click();

  const panel = page.getByRole('alertdialog', { name: 'A new version of snakepit is out — reload' });
  await expect(panel).toBeVisible();
  const reload = panel.getByRole('button', { name: 'Reload' });
  await expect(reload).toBeFocused();
  await expect(page.getByTestId('connection-status')).toHaveText('new version available');
  const view = await debugView(page);
  expect(view.outdated).toBe(true);
  expect(view.connected).toBe(false);
  expect(sockets).toBe(1);

  await Promise.all([page.waitForEvent('load'), reload.click()]);
  await expect(page.getByTestId('join-screen')).toBeVisible();
  await expect(page.getByTestId('room-input')).toHaveValue('future');
});

test('a first frame the page cannot read at all is taken for a newer server too', async ({ page }) => {
  await page.routeWebSocket(isGameSocket, (ws) => ws.send(Buffer.from([0xfe, 0x01, 0x02])));
  await page.goto('/?room=future&debug=1');
  await page.getByTestId('name-input').fill('old-tab');
  await page.getByTestId('play-button').click();
  await expect(page.getByRole('alertdialog', { name: /new version of snakepit/ })).toBeVisible();
  expect((await debugView(page)).badFrames).toBe(1);
});

test('a frame that will not decode is counted in the debug hook, and the game plays on', async ({ page }) => {
  let toPage: WebSocketRoute | null = null;
  await page.routeWebSocket(isGameSocket, (ws) => {
    ws.connectToServer(); // the real server; frames pass both ways untouched
    toPage = ws;
  });
  await joinGame(page, 'sturdy', uniqueRoom('garbage'));
  const before = await debugView(page);
  expect(before.badFrames).toBe(0);
  expect(before.firstBadFrame).toBeNull();

  (toPage as WebSocketRoute | null)!.send(Buffer.from([0xfe, 0x00, 0x00, 0x00]));
  await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.badFrames === 1);
  const after = await debugView(page);
  expect(after.firstBadFrame).toBeTruthy();
  expect(after.outdated).toBe(false);
  await expect(page.getByTestId('outdated')).toBeHidden();
  // Ticks keep coming and being drawn.
  await page.waitForFunction((tick) => ((window as { __snakepit?: DebugView }).__snakepit?.tick ?? 0) > tick + 2, after.tick);
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
});
