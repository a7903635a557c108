// Replays in the browser: a player runs into a wall, the game-over panel offers "watch replay",
// the link opens the viewer in a new tab, and the viewer plays that life in the game's renderer
// from the recording: the snake alive at the start and dead at the end, with pause, speed, the
// scrubber and a share link. An unknown id gets the server's reason, not an empty board.

import { expect, test } from '@playwright/test';
import { uniqueRoom } from './helpers.ts';

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
  test.setTimeout(180_000); // pages rendering WebGL in software, on a machine that may be busy
  // Left alone on a board with solid walls, a new snake goes straight into one.
  await page.goto(`/?room=${uniqueRoom('replay')}`);
  await page.getByTestId('name-input').fill('watcher');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('game-over')).toBeVisible({ timeout: 30_000 });
  const link = page.getByTestId('watch-replay');
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/\?replay=[A-Za-z0-9_-]{12}&room=replay-[a-z0-9-]+$/);

  // The link opens a new tab; the game goes on in this one.
  const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await expect(popup.getByTestId('replay-title')).toHaveText(/^watcher in room replay-/);
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
  await popup.close();
  await page.close(); // one page drawing at a time: each renders WebGL on the CPU

  // The same address with the debug hook, to read what it shows.
  const viewer = await context.newPage();
  await viewer.goto(`${href}&debug=1`);
  await viewer.waitForFunction(() => (window as { __snakepitReplay?: unknown }).__snakepitReplay !== undefined, undefined, {
    polling: 100,
    timeout: 30_000,
  });
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
  await viewer.waitForFunction(
    () => {
      const v = (window as unknown as { __snakepitReplay: ReplayView }).__snakepitReplay;
      return v.tick === v.first && !v.alive;
    },
    undefined,
    { polling: 100 },
  );

  // 4x to the end, where the snake has died and the player offers to watch again.
  await viewer.getByTestId('replay-speed').selectOption('4');
  await viewer.getByTestId('replay-play').click();
  await viewer.waitForFunction(
    () => {
      const v = (window as unknown as { __snakepitReplay: ReplayView }).__snakepitReplay;
      return !v.playing && v.tick === v.last;
    },
    undefined,
    { polling: 100, timeout: 60_000 },
  );
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
