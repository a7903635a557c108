// The first screen comes from a small first chunk (client/src/entry.ts): the join screen is up
// and usable while the game's chunk (pixi, renderer, netcode) is still on its way, and Play
// waits for it. Also the join screen's own parts: the name limit, today's best scores, and what
// a screen reader is told once playing.

import { type Page, type Route, expect, test } from '@playwright/test';
import { type DebugView, joinGame, uniqueRoom } from './helpers.ts';

/** The game's chunk as Vite names it: main.ts and what it imports. */
const GAME_CHUNK = /\/assets\/main-[\w-]+\.js$/;

/** Holds every request for the game chunk until `release()`; counts them. */
function holdGameChunk(page: Page) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const state = { requests: 0, release };
  return page
    .route(GAME_CHUNK, async (route: Route) => {
      state.requests++;
      await held;
      await route.continue();
    })
    .then(() => state);
}

test('the join screen is shown and usable before the game chunk has loaded; Play then waits for it', async ({ page }) => {
  test.slow(); // the game starts after the chunk is let through: pixi on the CPU, then the room
  const room = uniqueRoom('firstpaint');
  const chunk = await holdGameChunk(page);
  // Not 'load': the game's preload is part of the load event, and it is held on purpose.
  await page.goto(`/?room=${room}&debug=1`, { waitUntil: 'domcontentloaded' });

  await expect(page.getByTestId('join-screen')).toBeVisible();
  await expect(page.getByTestId('room-input')).toHaveValue(room);
  // The first chunk's own work is done: rooms and today's scores asked for and shown.
  await expect(page.getByTestId('room-list')).not.toContainText('looking');
  await expect(page.getByTestId('leaders')).not.toContainText('looking');
  // With ?debug=1 the game is asked for at once (the hook must be there), and has not arrived.
  await expect.poll(() => chunk.requests).toBeGreaterThan(0);
  expect(await page.evaluate(() => '__snakepit' in window)).toBe(false);
  await expect(page.locator('#game canvas')).toHaveCount(0);

  await page.getByTestId('name-input').fill('early');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByTestId('play-button')).toHaveText('Loading the game…');
  await expect(page.getByTestId('join-screen')).toBeVisible();

  chunk.release();
  await expect(page.getByTestId('connection-status')).toHaveText('connected', { timeout: 30_000 });
  await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me?.alive === true);
  await expect(page.getByTestId('join-screen')).toBeHidden();
  expect((await page.evaluate(() => (window as unknown as { __snakepit: DebugView }).__snakepit)).me?.id).toBeGreaterThan(0);
});

test("the game's files are fetched behind the join screen but run only when someone reaches for the form", async ({ page }) => {
  const fetched = page.waitForResponse(GAME_CHUNK);
  await page.goto(`/?room=${uniqueRoom('idle')}`);
  await expect(page.getByTestId('join-screen')).toBeVisible();
  // Fetched after the first paint, as a module preload: compiled, not run.
  expect((await fetched).ok()).toBe(true);
  await expect(page.locator('link[rel="modulepreload"][href*="/assets/main-"]')).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(() => document.documentElement.dataset.game)).toBeUndefined();
  await expect(page.locator('#game canvas')).toHaveCount(0);
  // A key in the name field is someone about to play: the game runs, and pixi starts.
  await page.getByTestId('name-input').press('a');
  await expect(page.locator('html')).toHaveAttribute('data-game', 'ready');
  await expect(page.locator('#game canvas')).toHaveCount(1);
});

test('the name field stops at 16 characters as you type (an emoji is one) and shows the limit', async ({ page }) => {
  await page.goto(`/?room=${uniqueRoom('name')}`);
  const name = page.getByTestId('name-input');
  await name.fill('');
  await expect(page.getByTestId('name-count')).toHaveText('0/16');
  await name.pressSequentially('abcdefghijklmnopqrst');
  await expect(name).toHaveValue('abcdefghijklmnop');
  await expect(page.getByTestId('name-count')).toHaveText('16/16');
  await name.fill('🐍'.repeat(20));
  await expect(name).toHaveValue('🐍'.repeat(16));
  await expect(page.getByTestId('name-count')).toHaveText('16/16');
  // The hint is what a screen reader hears with the field.
  await expect(name).toHaveAttribute('aria-describedby', 'name-hint');
});

test("the join screen shows today's top 10 across rooms, names as text", async ({ page }) => {
  const asked: string[] = [];
  await page.route('**/api/leaderboard?**', async (route) => {
    asked.push(new URL(route.request().url()).search);
    await route.fulfill({
      json: {
        room: null,
        period: 'today',
        entries: [
          { name: '<img src=x>', score: 42, room: 'pit', at: new Date().toISOString() },
          { name: 'second', score: 7, room: 'lobby', at: new Date().toISOString() },
        ],
      },
    });
  });
  await page.goto('/');
  const leaders = page.getByTestId('leaders').locator('li');
  await expect(leaders).toHaveCount(2);
  await expect(leaders.nth(0)).toHaveText(/<img src=x>\s*pit\s*42/);
  await expect(leaders.nth(1)).toHaveText(/second\s*lobby\s*7/);
  expect(asked[0]).toBe('?period=today&limit=10');
  await expect(page.getByRole('list', { name: "Today's best" })).toBeVisible();
});

test('screen readers are told who joins and leaves, not every score: one live region', async ({ page, browser }) => {
  test.slow(); // two pages drawing WebGL on the CPU
  const room = uniqueRoom('announce');
  await joinGame(page, 'watcher', room);
  expect(await page.locator('[aria-live]').evaluateAll((els) => els.map((e) => e.id))).toEqual(['announcer']);

  const other = await browser.newContext();
  const guest = await other.newPage();
  await joinGame(guest, 'guest', room);
  await expect(page.getByTestId('announcer')).toHaveText('guest joined');
  await guest.getByRole('button', { name: 'leave' }).click();
  await expect(page.getByTestId('announcer')).toHaveText('guest left');
  await other.close();
});
