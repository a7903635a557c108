// Rooms with their own settings, in real Chromium: an invite that creates a room with a board
// size, speed and walls of its own; the join screen offering them only for a room that does not
// exist yet; the HUD and the room list showing them; and a wrap room really played across its
// edge.

import { expect, test } from '@playwright/test';
import { type DebugView, KEYS, aliveView, debugView, joinGame, nearestEdge, uniqueRoom } from './helpers.ts';

test('an invite with settings creates a room with them: the HUD, the room list and the board say so', async ({ browser, page }) => {
  const room = uniqueRoom('custom');
  await page.goto(`/?room=${room}&size=s&walls=wrap&speed=15&debug=1`);
  // The room does not exist yet, so its settings are offered, open and chosen as the link says.
  await expect(page.getByTestId('new-room')).toBeVisible();
  await expect(page.getByTestId('size-choice')).toBeVisible();
  await expect(page.getByTestId('size-choice')).toHaveValue('s');
  await expect(page.getByTestId('walls-choice')).toHaveValue('wrap');
  await expect(page.getByTestId('speed-choice')).toHaveValue('15');
  await expect(page.getByTestId('stones-choice')).toHaveValue('');
  await page.getByTestId('name-input').fill('maker');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
  await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me?.alive === true);

  await expect(page.getByTestId('room-settings')).toHaveText('40x27 · 15/s · walls wrap');
  const view = await debugView(page);
  expect(view.board).toEqual({ width: 40, height: 27, walls: 'wrap' });
  expect(view.tickRate).toBe(15);
  expect(new URL(page.url()).searchParams.toString()).toContain('size=s&speed=15&walls=wrap');

  // Someone opening the same room sees it listed with its settings, and is offered none.
  const other = await browser.newContext();
  const guest = await other.newPage();
  await guest.goto(`/?room=${room}`);
  await expect(guest.getByTestId('room-list').locator('li', { hasText: room })).toContainText('40x27 · 15/s · walls wrap');
  await expect(guest.getByTestId('room-note')).toHaveText(`Room ${room} is open: 40x27 · 15/s · walls wrap.`);
  await expect(guest.getByTestId('new-room')).toBeHidden();
  await other.close();
});

test('settings chosen on the join screen go into the room and into the invite link', async ({ page }) => {
  const room = uniqueRoom('chosen');
  await page.goto(`/?room=${room}&debug=1`);
  await expect(page.getByTestId('new-room')).toBeVisible();
  // Folded until asked for (a link with settings opens them, as above).
  await expect(page.getByTestId('size-choice')).toBeHidden();
  await page.getByTestId('new-room').getByText('choose how it plays').click();
  await page.getByTestId('size-choice').selectOption({ label: 'large 90x60' });
  await page.getByTestId('walls-choice').selectOption({ label: 'wrap around' });
  await page.getByTestId('stones-choice').selectOption('some');
  await page.getByTestId('name-input').fill('chooser');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
  // 90 x 60 cells, one stone per 80 cells.
  await expect(page.getByTestId('room-settings')).toHaveText('90x60 · 10/s · walls wrap · 67 stones');
  const params = new URL(page.url()).searchParams;
  expect([params.get('room'), params.get('size'), params.get('walls'), params.get('stones'), params.get('speed')]).toEqual([
    room,
    'l',
    'wrap',
    'some',
    null,
  ]);
});

test('an invite with a setting that does not exist says so on the join screen', async ({ page }) => {
  await page.goto(`/?room=${uniqueRoom('bad')}&size=xl&walls=wrap`);
  await expect(page.getByTestId('join-error')).toContainText('size must be one of s, m, l, not "xl"');
  await expect(page.getByTestId('walls-choice')).toHaveValue('wrap');
  await expect(page.getByTestId('size-choice')).toHaveValue('');
});

test('in a wrap room a snake runs off one edge and comes in at the other, alive', async ({ page }) => {
  // The slowest speed, so every tick stays on screen for several frames of the page.
  await joinGame(page, 'looper', uniqueRoom('wrap'), '&size=s&walls=wrap&speed=5');
  const { me, board } = await aliveView(page);
  expect(board).toEqual({ width: 40, height: 27, walls: 'wrap' });
  const { width, height } = board!;
  const dir = nearestEdge(me.head, me.dir, width, height);
  await page.keyboard.press(KEYS[dir]);

  // Wait for the body to lie across the edge: two cells next to each other in the snake, one in
  // the last column (or row) and one in the first. On a solid board that snake would be dead.
  const straddle = await page.waitForFunction(
    ({ width, height }) => {
      const view = (window as { __snakepit?: DebugView }).__snakepit;
      const body = view?.me?.alive ? view.me.body : [];
      for (let i = 1; i < body.length; i++) {
        const [ax, ay] = body[i - 1]!;
        const [bx, by] = body[i]!;
        if ((ay === by && Math.abs(ax - bx) === width - 1) || (ax === bx && Math.abs(ay - by) === height - 1))
          return { id: view!.me!.id, body };
      }
      return null;
    },
    { width, height },
    { timeout: 20_000 },
  );
  const crossed = (await straddle.jsonValue()) as { id: number; body: [number, number][] };
  expect(crossed.id).toBe(me.id);

  // Then it is still alive, the same snake, heading the same way, a few cells in on the far side.
  const far = { left: width - 3, right: 2, up: height - 3, down: 2 }[dir];
  await page.waitForFunction(
    ({ id, dir, far }) => {
      const m = (window as { __snakepit?: DebugView }).__snakepit?.me;
      if (!m?.alive || m.id !== id || !m.head) return false;
      const along = dir === 'left' || dir === 'right' ? m.head[0] : m.head[1];
      return m.dir === dir && (dir === 'right' || dir === 'down' ? along >= far : along <= far);
    },
    { id: me.id, dir, far },
    { timeout: 10_000 },
  );
  await expect(page.getByTestId('game-over')).toBeHidden();
});
