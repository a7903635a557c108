// Replays in the browser: a player runs into a wall, the game-over panel offers "watch replay",
// the link opens the viewer in a new tab, and the viewer plays that life in the game's renderer
// from the recording: the snake alive at the start and dead at the end, with pause, speed, the
// scrubber and a share link. An unknown id gets the server's reason, not an empty board.

import { expect, test } from '@playwright/test';
import { KEYS, aliveView, joinGame, nearestEdge, uniqueRoom } from './helpers.ts';

interface ReplayView {
  tick: number;
  first: number;
  last: number;
  playing: boolean;
  speed: number;
  alive: boolean;
  length: number;
  score: number;
}

const view = (): ReplayView => (window as unknown as { __snakepitReplay: ReplayView }).__snakepitReplay;

test('game over offers the replay of that life, and the viewer plays it with pause, speed and scrubber', async ({ page, context }) => {
  test.slow(); // two pages rendering WebGL in software
  await joinGame(page, 'watcher', uniqueRoom('replay'));
  const { me, board } = await aliveView(page);
  await page.keyboard.press(KEYS[nearestEdge(me.head, me.dir, board!.width, board!.height)]);
  await expect(page.getByTestId('game-over')).toBeVisible({ timeout: 10_000 });
  const link = page.getByTestId('watch-replay');
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/\?replay=[A-Za-z0-9_-]{12}$/);

  // The link opens a new tab; the game goes on in this one.
  const [viewer] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await expect(viewer.getByTestId('replay-title')).toHaveText(/^watcher in room replay-/);
  await expect(page.getByTestId('connection-status')).toHaveText('connected');

  // The same page with the debug hook, to read what it shows.
  await viewer.goto(`${href}&debug=1`);
  await viewer.waitForFunction(() => (window as { __snakepitReplay?: unknown }).__snakepitReplay !== undefined);
  const start = await viewer.evaluate(view);
  expect(start.alive).toBe(true);
  expect(start.first).toBeLessThan(start.last);

  // Pause holds the tick; play moves it on.
  await viewer.getByTestId('replay-play').click();
  await expect(viewer.getByTestId('replay-play')).toHaveText('play');
  const paused = (await viewer.evaluate(view)).tick;
  await viewer.waitForTimeout(300); // a span of wall time in which a playing replay would move
  expect((await viewer.evaluate(view)).tick).toBe(paused);

  // The scrubber jumps anywhere: the very start shows the snake not there yet (the tick before it appeared).
  await viewer.getByTestId('replay-scrubber').fill(String(start.first));
  await viewer.waitForFunction(() => {
    const v = (window as unknown as { __snakepitReplay: ReplayView }).__snakepitReplay;
    return v.tick === v.first && !v.alive;
  });

  // 4x to the end, where the snake has died and the player offers to watch again.
  await viewer.getByTestId('replay-speed').selectOption('4');
  await viewer.getByTestId('replay-play').click();
  await viewer.waitForFunction(() => {
    const v = (window as unknown as { __snakepitReplay: ReplayView }).__snakepitReplay;
    return !v.playing && v.tick === v.last;
  });
  const end = await viewer.evaluate(view);
  expect(end.speed).toBe(4);
  expect(end.alive).toBe(false);
  await expect(viewer.getByTestId('replay-play')).toHaveText('watch again');
  await expect(viewer.getByTestId('replay-clock')).toHaveText(/^(\d+\.\d) \/ \1 s$/);

  // The share link copies this page's address.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await viewer.getByTestId('replay-share').click();
  await expect(viewer.getByTestId('replay-message')).toHaveText('Link copied: send it to a friend.');
  expect(await viewer.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`${href!.replace('?', '\\?')}$`));
});

test('an unknown replay says so', async ({ page }) => {
  await page.goto('/?replay=AAAAAAAAAAAA');
  await expect(page.getByTestId('replay-title')).toHaveText('This replay cannot be shown');
  await expect(page.getByTestId('replay-message')).toContainText('no replay AAAAAAAAAAAA here');
  await expect(page.getByTestId('join-screen')).toBeHidden();
});
