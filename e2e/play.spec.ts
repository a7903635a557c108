// What a player sees and hears around the game: names by the heads, the game-over panel and
// playing again whatever has focus, the invite where the clipboard is missing, sound that waits
// for a gesture, and the game drawn by the Canvas renderer in a browser without WebGL.

import { chromium, expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { debugView, joinGame, uniqueRoom } from './helpers.ts';

test('a browser without WebGL draws the game with the Canvas renderer, fetched only then', async () => {
  // A browser of its own, launched as the project's but with WebGL and all 3D APIs switched off.
  const base = test.info().project.use.launchOptions ?? {};
  const browser = await chromium.launch({ ...base, args: [...(base.args ?? []), '--disable-webgl', '--disable-3d-apis'] });
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    expect(await page.evaluate(() => document.createElement('canvas').getContext('webgl'))).toBeNull();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await joinGame(page, 'nogl', uniqueRoom('nogl'));
    const view = await debugView(page);
    expect(view.renderer).toBe('canvas');
    expect(view.drawn.snakes).toBe(1);
    expect(scripts.some((s) => s.includes('canvas-renderer'))).toBe(true);
    // Really drawn: the snake's green is on the canvas.
    const png = PNG.sync.read(await page.locator('[data-testid="game"] canvas').screenshot());
    let green = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (Math.abs(png.data[i]! - 0x5e) < 12 && Math.abs(png.data[i + 1]! - 0xe2) < 12 && Math.abs(png.data[i + 2]! - 0x7a) < 12) green++;
    }
    expect(green).toBeGreaterThan(50);
  } finally {
    await browser.close();
  }
});

test('a browser with WebGL does not fetch the Canvas renderer', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await joinGame(page, 'gl', uniqueRoom('gl'));
  expect((await debugView(page)).renderer).toBe('webgl');
  expect(scripts.some((s) => s.includes('canvas-renderer'))).toBe(false);
});
