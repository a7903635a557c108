// Playing snakepit in real Chromium: two players in one room, steering, dying and playing
// again, the canvas really drawing with WebGL, and names shown as text.

import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { type DebugView, KEYS, aliveView, debugView, joinGame, nearestEdge, uniqueRoom } from './helpers.ts';

test('two players in one room each see both names on the scoreboard', async ({ browser }) => {
  test.slow(); // two pages drawing WebGL on the CPU
  const room = uniqueRoom('two');
  const ann = await browser.newContext();
  const bob = await browser.newContext();
  const pa = await ann.newPage();
  const pb = await bob.newPage();
  await joinGame(pa, 'ann', room);
  await joinGame(pb, 'bob', room);
  for (const page of [pa, pb]) {
    const board = page.getByTestId('scoreboard');
    await expect(board.locator('li', { hasText: 'ann' })).toHaveCount(1);
    await expect(board.locator('li', { hasText: 'bob' })).toHaveCount(1);
    await expect(page.getByTestId('room-name')).toHaveText(room);
  }
  // Both views agree on who is in the room.
  const [va, vb] = await Promise.all([debugView(pa), debugView(pb)]);
  expect(va.players.map((p) => p.name).sort()).toEqual(['ann', 'bob']);
  expect(vb.players.map((p) => p.name).sort()).toEqual(['ann', 'bob']);
  await ann.close();
  await bob.close();
});

test('the client reads both wire formats: a JSON player and a binary player see each other', async ({ browser }) => {
  const room = uniqueRoom('wire');
  const jsonCtx = await browser.newContext();
  const binCtx = await browser.newContext();
  const pj = await jsonCtx.newPage();
  const pb = await binCtx.newPage();
  const frames: { json: boolean[]; bin: boolean[] } = { json: [], bin: [] };
  pj.on('websocket', (ws) => ws.on('framereceived', (f) => frames.json.push(typeof f.payload === 'string')));
  pb.on('websocket', (ws) => ws.on('framereceived', (f) => frames.bin.push(typeof f.payload === 'string')));
  await joinGame(pj, 'texty', room, '&wire=json');
  await joinGame(pb, 'bytey', room);
  for (const page of [pj, pb]) {
    await expect(page.getByTestId('scoreboard').locator('li', { hasText: 'texty' })).toHaveCount(1);
    await expect(page.getByTestId('scoreboard').locator('li', { hasText: 'bytey' })).toHaveCount(1);
  }
  expect(frames.json.length).toBeGreaterThan(3);
  expect(frames.json.every((text) => text)).toBe(true);
  expect(frames.bin.every((text) => !text)).toBe(true);
  await jsonCtx.close();
  await binCtx.close();
});

test('an arrow key changes the snake direction', async ({ page }) => {
  // Walls that wrap and no stones: a lone snake cannot die before the turn, however slowly a
  // busy machine delivers the key.
  await joinGame(page, 'steerer', uniqueRoom('steer'), '&walls=wrap&stones=off');
  const { me } = await aliveView(page);
  const [x, y] = me.head;
  // Turn across the current heading, toward the side with more room.
  const across = me.dir === 'up' || me.dir === 'down' ? (x < 30 ? 'right' : 'left') : y < 20 ? 'down' : 'up';
  const key = { up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight' }[across];
  await page.keyboard.press(key);
  await page.waitForFunction((want) => (window as { __snakepit?: DebugView }).__snakepit?.me?.dir === want, across);
});

test('steering into a wall ends the game, and Space plays again', async ({ page }) => {
  await joinGame(page, 'crasher', uniqueRoom('crash'));
  const { me, board } = await aliveView(page);
  // Head for the nearest wall that is not straight behind us.
  await page.keyboard.press(KEYS[nearestEdge(me.head, me.dir, board!.width, board!.height)]);
  await expect(page.getByTestId('game-over')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('game-over')).toContainText('You hit the wall.');
  expect((await debugView(page)).me!.alive).toBe(false);

  await page.keyboard.press('Space');
  await page.waitForFunction(() => (window as { __snakepit?: DebugView }).__snakepit?.me?.alive === true);
  await expect(page.getByTestId('game-over')).toBeHidden();
  const again = (await debugView(page)).me!;
  expect(again.alive).toBe(true);
  expect(again.length).toBeGreaterThanOrEqual(3);
});

test('the canvas draws with WebGL: pixels differ from the background where the game is', async ({ page }) => {
  await joinGame(page, 'painter', uniqueRoom('paint'));
  const view = await debugView(page);
  expect(view.renderer).toBe('webgl');
  expect(view.drawn.snakes).toBe(1);
  expect(view.drawn.food).toBeGreaterThan(0);

  const png = PNG.sync.read(await page.locator('[data-testid="game"] canvas').screenshot());
  // Count the colours on screen, and how many pixels are the snake's green (#5ee27a, id 1).
  const colours = new Map<number, number>();
  let green = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    colours.set((r << 16) | (g << 8) | b, (colours.get((r << 16) | (g << 8) | b) ?? 0) + 1);
    if (Math.abs(r - 0x5e) < 12 && Math.abs(g - 0xe2) < 12 && Math.abs(b - 0x7a) < 12) green++;
  }
  const [background] = [...colours].sort((a, b) => b[1] - a[1])[0]!;
  const total = png.width * png.height;
  const differing = total - colours.get(background)!;
  expect(differing / total).toBeGreaterThan(0.01);
  expect(green).toBeGreaterThan(50);
});

test('a name made of HTML is shown as text, never run', async ({ page }) => {
  const name = '<img src=x>';
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await joinGame(page, name, uniqueRoom('xss'));
  const row = page.getByTestId('scoreboard').locator('li').first();
  await expect(row).toContainText(name);
  await expect(page.getByTestId('scoreboard').locator('img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('the join screen checks the name and lists open rooms', async ({ browser, page }) => {
  const room = uniqueRoom('listed');
  const other = await browser.newContext();
  await joinGame(await other.newPage(), 'host', room);

  await page.goto(`/?room=${room}`);
  await expect(page.getByTestId('room-list')).toContainText(room);
  await expect(page.getByTestId('room-list').locator('li', { hasText: room })).toContainText('1 playing');
  await page.getByTestId('name-input').fill('   ');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('join-error')).toHaveText(/name of 1 to 16/);
  await expect(page.getByTestId('join-screen')).toBeVisible();
  await other.close();
});

test('on a touch screen a swipe turns the snake', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  // Walls that wrap and no stones: a lone snake cannot die before the swipe, however slowly a
  // busy machine gets there.
  await joinGame(page, 'thumbs', uniqueRoom('swipe'), '&walls=wrap&stones=off');
  const before = (await aliveView(page)).me.dir;
  const target = before === 'up' || before === 'down' ? 'right' : 'down';
  await page.getByTestId('game').evaluate((el, dir) => {
    const fire = (type: string, x: number, y: number) =>
      el.dispatchEvent(new PointerEvent(type, { pointerId: 7, pointerType: 'touch', clientX: x, clientY: y, bubbles: true }));
    fire('pointerdown', 150, 300);
    if (dir === 'right') fire('pointermove', 230, 305);
    else fire('pointermove', 155, 380);
    fire('pointerup', dir === 'right' ? 230 : 155, dir === 'right' ? 305 : 380);
  }, target);
  await page.waitForFunction((want) => (window as { __snakepit?: DebugView }).__snakepit?.me?.dir === want, target);
  await context.close();
});
