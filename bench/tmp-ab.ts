import { chromium } from '@playwright/test';
import { benchServerEnv, startLoad, startServer, tempDir, sleep } from './procs.ts';
const server = await startServer({ env: { ...benchServerEnv(tempDir('snakepit-ab-')), TICK_RATE: '10', WIRE_FORMAT: 'binary' } });
const load = startLoad({ port: server.port, players: 9, rooms: 1, wire: 'binary', tickMs: 100, connectConcurrency: 16 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'] });
try {
  await load.next('joined', 30_000);
  for (const q of (process.argv[2] ?? '').split(',')) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${server.base}/?room=bench-0&debug=1${q}`);
    await page.getByTestId('name-input').fill('bench');
    await page.getByTestId('play-button').click();
    await page.waitForFunction(`window.__snakepit?.me?.alive === true`);
    await sleep(2000);
    await page.evaluate(`window.__snakepitResetFrames()`);
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      await page.evaluate(`(() => { const v = window.__snakepit; if (!v.me || !v.me.alive) { dispatchEvent(new KeyboardEvent('keydown', { code: 'Space' })); } })()`);
      await sleep(200);
    }
    const f = await page.evaluate(`window.__snakepit.frames`);
    console.log(JSON.stringify({ q, f }));
    await page.close();
  }
} finally {
  await browser.close();
  await load.stop?.();
  await server.stop();
}
