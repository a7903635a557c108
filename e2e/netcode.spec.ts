// Netcode in real Chromium: your own snake answers a key at once even over a slow link
// (?lag=150), a dropped connection gets its snake back, and the other players see it as away
// meanwhile. Each test waits for what it looks for, frame by frame or on the page's text.

import { type Page, expect, test } from '@playwright/test';
import { type DebugView, KEYS, aliveView, debugView, joinGame, uniqueRoom } from './helpers.ts';

type Hooked = Window & {
  __snakepit: DebugView;
  __snakepitDrop(reconnect?: boolean): void;
  __snakepitReconnect(): void;
  __turn?: TurnResult;
  __back?: { id: number; score: number; length: number };
};

interface TurnResult {
  /** ms from the key to the first frame whose drawn head faces the new way, and that frame's number. */
  facedMs: number;
  facedFrame: number;
  /** ms from the key to the first frame whose drawn head has moved the new way. */
  movedMs: number;
  /** The longest time between the key and the first frame, or between two frames, in ms. */
  frameMs: number;
}

/** The way across the one the head faces, toward the middle of the board. */
function inward(view: DebugView): keyof typeof KEYS {
  const [x, y] = view.me!.drawnHead!;
  const { width, height } = view.board!;
  const facing = view.me!.facing;
  if (facing === 'up' || facing === 'down') return x < width / 2 ? 'right' : 'left';
  return y < height / 2 ? 'down' : 'up';
}

/** Presses the key for `dir` and watches every frame after it until the drawn head faces and moves that way. */
async function timeTurn(page: Page, dir: keyof typeof KEYS): Promise<TurnResult> {
  await page.evaluate((want) => {
    const w = window as unknown as Hooked;
    delete w.__turn;
    const axis = want === 'left' || want === 'right' ? 0 : 1;
    const sign = want === 'right' || want === 'down' ? 1 : -1;
    addEventListener(
      'keydown',
      () => {
        const pressed = performance.now();
        const from = w.__snakepit.me!.drawnHead!;
        let frame = 0;
        let last = pressed;
        let frameMs = 0;
        let faced: { ms: number; frame: number } | null = null;
        const check = () => {
          frame++;
          const now = performance.now();
          frameMs = Math.max(frameMs, now - last);
          last = now;
          const me = w.__snakepit.me!;
          const at = now - pressed;
          if (!faced && me.facing === want) faced = { ms: at, frame };
          const moved = me.drawnHead && (me.drawnHead[axis]! - from[axis]!) * sign > 0.05;
          if (faced && moved) w.__turn = { facedMs: faced.ms, facedFrame: faced.frame, movedMs: at, frameMs };
          else if (at < 5000) requestAnimationFrame(check);
          else w.__turn = { facedMs: faced?.ms ?? -1, facedFrame: faced?.frame ?? -1, movedMs: -1, frameMs };
        };
        requestAnimationFrame(check);
      },
      { once: true, capture: true },
    );
  }, dir);
  await page.keyboard.press(KEYS[dir]);
  const handle = await page.waitForFunction(() => (window as unknown as Hooked).__turn);
  return (await handle.jsonValue()) as TurnResult;
}

test('with 150 ms of lag a key turns the drawn head within a tick and two frames, and it moves the new way', async ({ page }) => {
  // Walls that wrap and no stones: a lone snake cannot die while the test waits for its turn.
  await joinGame(page, 'quick', uniqueRoom('lag'), '&lag=150&walls=wrap&stones=off');
  // The round trip is measured (ping and pong, both held up by the lag) before the key.
  await page.waitForFunction(() => ((window as unknown as Hooked).__snakepit.rtt ?? 0) > 250);
  const view = await aliveView(page);
  expect(view.predict).toBe(true);
  const tickMs = 1000 / view.tickRate!;
  const dir = inward(view);
  const turn = await timeTurn(page, dir);
  expect(turn.facedFrame, `faced ${dir} after ${turn.facedMs} ms`).toBeGreaterThan(0);
  expect(turn.facedFrame).toBeLessThanOrEqual(2);
  expect(turn.facedMs).toBeLessThanOrEqual(tickMs + 2 * turn.frameMs);
  // It moves the new way from the next cell boundary: at most a tick away (two, were the clock leaning back).
  expect(turn.movedMs, 'the drawn head moved the new way').toBeGreaterThan(0);
  expect(turn.movedMs).toBeLessThanOrEqual(2 * tickMs + 2 * turn.frameMs);
  // And the server agrees: the turn is acknowledged and the snake goes that way.
  await page.waitForFunction((want) => {
    const me = (window as unknown as Hooked).__snakepit.me;
    return me !== null && (me.pending === 0 || !me.alive) && (me.dir === want || !me.alive);
  }, dir);
});

test('a socket killed mid-game comes back to the same snake: same id, score and length', async ({ browser }) => {
  test.slow(); // two pages drawing WebGL on the CPU
  const room = uniqueRoom('resume');
  const mine = await browser.newContext();
  const theirs = await browser.newContext();
  const page = await mine.newPage();
  const watcher = await theirs.newPage();
  await joinGame(page, 'phoenix', room);
  await joinGame(watcher, 'watcher', room);
  const { id } = (await aliveView(page)).me;

  // The socket closes as a lost connection does (no `leave`); the page waits before retrying.
  await page.evaluate(() => (window as unknown as Hooked).__snakepitDrop(false));
  await expect(page.getByTestId('notice')).toContainText(/connection lost — your snake is waiting \(\d+ s\)/);
  // The server holds the snake, away: what it holds is what comes back.
  await watcher.waitForFunction((pid) => (window as unknown as Hooked).__snakepit.players.find((p) => p.id === pid)?.away === true, id);
  const held = (await debugView(watcher)).players.find((p) => p.id === id)!;

  // What the page has at the moment it says so (the snake moves on right after).
  await page.evaluate(() => {
    const w = window as unknown as Hooked;
    const notice = document.querySelector('[data-testid="notice"]')!;
    new MutationObserver((_, observer) => {
      if (notice.textContent !== 'back in the game') return;
      const me = w.__snakepit.me!;
      w.__back = { id: me.id, score: me.score, length: me.length };
      observer.disconnect();
    }).observe(notice, { childList: true, characterData: true, subtree: true });
    w.__snakepitReconnect();
  });
  await expect(page.getByTestId('notice')).toHaveText('back in the game');
  const back = (await (await page.waitForFunction(() => (window as unknown as Hooked).__back)).jsonValue())!;
  expect(back.id).toBe(id);
  expect(back.score).toBe(held.score);
  expect(back.length).toBe(held.length);
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
  await mine.close();
  await theirs.close();
});

test("when a player's connection drops, the others see them as away until they are back", async ({ browser }) => {
  test.slow(); // two pages drawing WebGL on the CPU
  const room = uniqueRoom('away');
  const ann = await browser.newContext();
  const bob = await browser.newContext();
  const pa = await ann.newPage();
  const pb = await bob.newPage();
  await joinGame(pa, 'ann', room);
  await joinGame(pb, 'bob', room);
  const annRow = pb.getByTestId('scoreboard').locator('li', { hasText: 'ann' });
  await expect(annRow).not.toContainText('away');

  await pa.evaluate(() => (window as unknown as Hooked).__snakepitDrop(false));
  await expect(annRow).toContainText('away');
  await expect(annRow).toHaveClass(/away/);

  await pa.evaluate(() => (window as unknown as Hooked).__snakepitReconnect());
  await expect(annRow).not.toContainText('away');
  await ann.close();
  await bob.close();
});
