// What a player sees and hears around the game: names by the heads, the game-over panel and
// playing again whatever has focus, the invite where the clipboard is missing and on a phone's
// share sheet, sound that waits for a gesture, and the game drawn by the Canvas renderer in a
// browser without WebGL.

import { type Page, chromium, expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { type DebugView, KEYS, aliveView, debugView, joinGame, nearestEdge, uniqueRoom } from './helpers.ts';

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

test('names are drawn by the heads, mine marked, and a second player sees both', async ({ browser }) => {
  test.setTimeout(60_000); // two browser contexts, each starting the game
  const room = uniqueRoom('names');
  const ann = await browser.newContext();
  const bob = await browser.newContext();
  const pa = await ann.newPage();
  const pb = await bob.newPage();
  // Wrapping walls and no stones: a snake that nobody steers dies only by running into the other.
  await joinGame(pa, 'ann', room, '&walls=wrap&stones=off');
  await joinGame(pb, 'bob', room);
  expect(await bothNames(pa, [pa, pb])).toEqual(expect.arrayContaining(['bob', '★ ann']));
  expect(await bothNames(pb, [pa, pb])).toEqual(expect.arrayContaining(['ann', '★ bob']));
  await ann.close();
  await bob.close();
});

/**
 * The names `page` draws once both snakes are alive on it. Two unsteered snakes cross each
 * other's paths, and on a busy machine one may run into the other before `page` is looked at:
 * then that player plays again, as a person would, up to three times.
 */
async function bothNames(page: Page, players: Page[]): Promise<string[]> {
  for (let round = 0; round <= 3; round++) {
    const drawn = page.waitForFunction(() => {
      const names = (window as unknown as { __snakepit: DebugView }).__snakepit.names;
      return names.length === 2 ? names : null;
    });
    const over = players.map((p) =>
      p
        .getByTestId('game-over')
        .waitFor({ state: 'visible' })
        .then(() => p),
    );
    const first = await Promise.race([drawn.then(async (h) => (await h.jsonValue()) as string[]), ...over]);
    if (Array.isArray(first)) return first;
    await first.locator('#play-again').click();
    await expect(first.getByTestId('game-over')).toBeHidden();
  }
  throw new Error('the two snakes kept running into each other');
}

test('after clicking "copy invite", Space on the game-over panel plays again instead of copying again', async ({ browser }) => {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  await joinGame(page, 'focus', uniqueRoom('focus'));
  await page.getByRole('button', { name: 'copy invite' }).click();
  await expect(page.getByTestId('notice')).toContainText('Invite link copied');
  await expect(page.getByRole('button', { name: 'copy invite' })).toBeFocused();
  const { me, board } = await aliveView(page);
  await page.keyboard.press(KEYS[nearestEdge(me.head, me.dir, board!.width, board!.height)]);
  await expect(page.getByTestId('game-over')).toBeVisible({ timeout: 10_000 });
  // The panel tells what the life was worth.
  const stats = page.getByTestId('game-over-stats');
  await expect(stats.locator('[data-stat="length"]')).toHaveText(/^\d+$/);
  await expect(stats.locator('[data-stat="rank"]')).toHaveText('1st of 1');
  await expect(stats.locator('[data-stat="time alive"]')).toHaveText(/^\d+ s$/);
  await expect(stats.locator('[data-stat="best"]')).toHaveText(/^\d+$/);
  await page.evaluate(() => navigator.clipboard.writeText('untouched'));
  // Focus is still on "copy invite": Space must play again, not copy.
  await expect(page.getByRole('button', { name: 'copy invite' })).toBeFocused();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me?.alive === true);
  await expect(page.getByTestId('game-over')).toBeHidden();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('untouched');
  await context.close();
});

test('without a clipboard API, "copy invite" shows the link selected, ready to copy', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  });
  const room = uniqueRoom('noclip');
  await joinGame(page, 'clipless', room);
  await page.getByRole('button', { name: 'copy invite' }).click();
  const input = page.getByTestId('invite-link');
  await expect(page.getByTestId('invite-panel')).toBeVisible();
  await expect(input).toHaveValue(new RegExp(`[?&]room=${room}(&|$)`));
  await expect(input).not.toHaveValue(/debug/);
  await expect(input).toBeFocused();
  const selected = await input.evaluate((el: HTMLInputElement) => el.value.slice(el.selectionStart ?? 0, el.selectionEnd ?? 0));
  expect(selected).toBe(await input.inputValue());
  await page.getByRole('button', { name: 'done' }).click();
  await expect(page.getByTestId('invite-panel')).toBeHidden();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('"share invite" opens the system share sheet with the room\'s link; closing it shows nothing, a share that fails shows the link', async ({
    page,
  }) => {
    // The sheet itself is the phone's; here navigator.share records what it was given and
    // answers as the player closing the sheet would, or, once told to, as a failed share.
    await page.addInitScript(() => {
      const w = window as unknown as { __shared: ShareData[]; __shareFails: boolean };
      w.__shared = [];
      w.__shareFails = false;
      Object.defineProperty(Navigator.prototype, 'share', {
        configurable: true,
        value: (data: ShareData) => {
          w.__shared.push(data);
          return Promise.reject(new DOMException('share', w.__shareFails ? 'NotAllowedError' : 'AbortError'));
        },
      });
    });
    const room = uniqueRoom('share');
    await joinGame(page, 'sharer', room, '&walls=wrap&stones=off');
    const button = page.locator('#invite');
    await expect(button).toHaveText('share invite');
    await button.tap();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __shared: ShareData[] }).__shared.length)).toBe(1);
    const shared = await page.evaluate(() => (window as unknown as { __shared: ShareData[] }).__shared[0]!);
    expect(shared.url).toMatch(new RegExp(`[?&]room=${room}(&|$)`));
    expect(shared.url).not.toMatch(/debug/);
    await expect(page.getByTestId('invite-panel')).toBeHidden();

    await page.evaluate(() => {
      (window as unknown as { __shareFails: boolean }).__shareFails = true;
    });
    await button.tap();
    await expect(page.getByTestId('invite-panel')).toBeVisible();
    await expect(page.getByTestId('invite-link')).toHaveValue(shared.url!);
  });
});

test('sound stays off (no AudioContext) until the first gesture; the mute switch is remembered', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __contexts: number; AudioContext: typeof AudioContext };
    w.__contexts = 0;
    const Original = w.AudioContext;
    w.AudioContext = class extends Original {
      constructor(options?: AudioContextOptions) {
        super(options);
        w.__contexts++;
      }
    };
  });
  await page.goto(`/?room=${uniqueRoom('sound')}&debug=1`);
  await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit !== undefined);
  expect((await debugView(page)).audio).toEqual({ state: 'off', muted: false });
  expect(await page.evaluate(() => (window as unknown as { __contexts: number }).__contexts)).toBe(0);
  // The first click (Play) is the gesture that lets sound start.
  await page.getByTestId('name-input').fill('listener');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
  expect(await page.evaluate(() => (window as unknown as { __contexts: number }).__contexts)).toBe(1);
  expect((await debugView(page)).audio!.state).not.toBe('off');
  // Muted, and still muted after a reload.
  await page.getByTestId('mute').click();
  await expect(page.getByTestId('mute')).toHaveText('sound off');
  await expect(page.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit !== undefined);
  expect((await debugView(page)).audio).toEqual({ state: 'off', muted: true });
  await expect(page.getByTestId('mute')).toHaveText('sound off');
});
