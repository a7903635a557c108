// Makes docs/screenshot.png for the README: starts the built server on a free port, lets six
// bots play in a room for a while, joins from Chromium and photographs the game.
//   npm run build && node --conditions=source --import tsx scripts/screenshot.ts
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { RoomBots, newStats } from '../bench/bots.ts';

const root = new URL('..', import.meta.url).pathname;
const server = spawn(process.execPath, ['server/dist/main.js'], {
  cwd: root,
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', STONES: '24' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve) => {
  server.stdout.on('data', (d: Buffer) => {
    const m = /"port":(\d+)/.exec(d.toString());
    if (m) resolve(Number(m[1]));
  });
});
try {
  const names = ['viper', 'mamba', 'boa', 'cobra', 'asp', 'krait'];
  const bots = new RoomBots({ url: `ws://127.0.0.1:${port}/ws?room=showcase`, count: 6, names: (i) => names[i]!, stats: newStats() });
  await bots.start();
  await new Promise((r) => setTimeout(r, 25_000));
  const browser = await chromium.launch({
    executablePath: ['/usr/bin/chromium'].find((p) => existsSync(p)),
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await page.goto(`http://127.0.0.1:${port}/?room=showcase`);
  await page.getByTestId('name-input').fill('you');
  await page.getByTestId('play-button').click();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `${root}/docs/screenshot.png` });
  await browser.close();
  bots.stop();
} finally {
  server.kill('SIGTERM');
}
