// Makes docs/screenshot.png and docs/screenshot-phone.png for the README: starts the built server
// on a free port, lets six bots play in a room for a while, joins from Chromium (a desktop window,
// then a 390x844 touch screen, where the view follows the snake) and photographs the game.
//   npm run build && node --conditions=source --import tsx scripts/screenshot.ts
// Must not: leave the server or the browser running, whatever fails (both are ended in `finally`).
// Tutorial: docs/tutorial/08-measuring.md (the bots are the bench's).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { RoomBots, newStats } from '../bench/bots.ts';

const root = new URL('..', import.meta.url).pathname;

/** A slow machine can let the new snake reach a wall before the photo: play again first. */
async function alive(page: import('@playwright/test').Page): Promise<void> {
  const over = page.getByTestId('game-over');
  if (!(await over.isVisible())) return;
  await over.click();
  await over.waitFor({ state: 'hidden' });
}
const server = spawn(process.execPath, ['server/dist/main.js'], {
  cwd: root,
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', STONES: '24' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
try {
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not say "snakepit is ready" within 30 s')), 30_000);
    server.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
    server.stdout.on('data', (d: Buffer) => {
      const m = /"port":(\d+)/.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  const names = ['viper', 'mamba', 'boa', 'cobra', 'asp', 'krait'];
  const bots = new RoomBots({ url: `ws://127.0.0.1:${port}/ws?room=showcase`, count: 6, names: (i) => names[i]!, stats: newStats() });
  await bots.start();
  await new Promise((r) => setTimeout(r, 25_000));
  browser = await chromium.launch({
    executablePath: ['/usr/bin/chromium'].find((p) => existsSync(p)),
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await page.goto(`http://127.0.0.1:${port}/?room=showcase`);
  await page.getByTestId('name-input').fill('you');
  await page.getByTestId('play-button').click();
  await page.waitForTimeout(1200);
  await alive(page);
  await page.screenshot({ path: `${root}/docs/screenshot.png` });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await phone.goto(`http://127.0.0.1:${port}/?room=showcase`);
  await phone.getByTestId('name-input').fill('thumbs');
  await phone.getByTestId('play-button').click();
  await phone.waitForTimeout(1500);
  await alive(phone);
  await phone.screenshot({ path: `${root}/docs/screenshot-phone.png` });
  bots.stop();
} finally {
  await browser?.close().catch(() => {});
  server.kill('SIGTERM');
}
