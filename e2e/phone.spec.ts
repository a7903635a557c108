// snakepit on a phone: a 390x844 touch screen held upright (and turned), where the whole 60x40
// board would draw 6 px cells. The view follows your snake at playable cells with a minimap of
// the whole board; a desktop window that fits the board keeps the still, whole view.

import { expect, test } from '@playwright/test';
import { type DebugView, debugView, joinGame, uniqueRoom } from './helpers.ts';

/** Where my drawn head is on the screen, in CSS px, worked out from the debug view. */
async function headOnScreen(page: import('@playwright/test').Page) {
  return page.evaluate(() => {
    const v = (window as unknown as { __snakepit: DebugView }).__snakepit;
    const [hx, hy] = v.me!.drawnHead!;
    return { x: v.view.x + (hx + 0.5) * v.view.cellPx, y: v.view.y + (hy + 0.5) * v.view.cellPx };
  });
}

test.describe('a phone held upright', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });

  test('the view follows my snake with cells of at least 16 px and shows a minimap', async ({ page }) => {
    // Walls that wrap and no stones: a snake alone never dies, however slowly a busy machine
    // gets from one step of the test to the next, so its head is there to find.
    await joinGame(page, 'thumbs', uniqueRoom('phone'), '&walls=wrap&stones=off');
    const view = await debugView(page);
    expect(view.view.follow).toBe(true);
    expect(view.view.cellPx).toBeGreaterThanOrEqual(16);
    await expect(page.getByTestId('minimap')).toBeVisible();
    // My head is on screen, and out from under the top bar and the scores panel, however tall
    // they are; the minimap sits below the top bar, not under it.
    const head = await headOnScreen(page);
    const bar = (await page.locator('.hud-top').boundingBox())!;
    const scores = (await page.locator('.scores').boundingBox())!;
    const map = (await page.getByTestId('minimap').boundingBox())!;
    expect(head.x).toBeGreaterThan(0);
    expect(head.x).toBeLessThan(390);
    expect(head.y).toBeGreaterThan(bar.y + bar.height);
    expect(head.y).toBeLessThan(scores.y);
    expect(map.y).toBeGreaterThanOrEqual(bar.y + bar.height);
    // The board is wider than the screen, so it fills it from side to side: no view of the
    // empty page past a wall, wherever the snake is.
    expect(view.view.x).toBeLessThanOrEqual(6);
    expect(view.view.x + 60 * view.view.cellPx).toBeGreaterThanOrEqual(390 - 6);
    // Touch screens are told to swipe and tap, not to press keys.
    await expect(page.locator('#game-over .hint')).toContainText('tap');
    await expect(page.locator('#game-over .hint')).not.toContainText('Space');
  });
});

test.describe('a phone turned sideways', () => {
  test.use({ viewport: { width: 844, height: 390 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });

  test('the view follows too, and the minimap is shown', async ({ page }) => {
    await joinGame(page, 'sideways', uniqueRoom('landscape'));
    const view = await debugView(page);
    expect(view.view.follow).toBe(true);
    expect(view.view.cellPx).toBeGreaterThanOrEqual(16);
    await expect(page.getByTestId('minimap')).toBeVisible();
  });
});

test('a desktop window that fits the board shows it whole, without a minimap', async ({ page }) => {
  await joinGame(page, 'desk', uniqueRoom('desk'));
  const view = await debugView(page);
  expect(view.view.follow).toBe(false);
  expect(view.view.cellPx).toBeGreaterThanOrEqual(14);
  await expect(page.getByTestId('minimap')).toBeHidden();
  await expect(page.locator('#game-over .hint')).toContainText('Space');
});
