// The game steps' pages run in a real browser: each page's TypeScript, and the step modules it
// imports (the very rules.ts the server runs), are served with their types stripped, so a syntax
// the browser cannot run, or a module that fails to load, shows here as a page error or a page
// that never draws a tick. Step 10 also shows the prediction working: with ?lag=, a turn pressed
// is drawn before the server has acknowledged it.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { chromium } from '@playwright/test';
import { bounded } from './helpers.ts';

interface Step {
  start(options: { port: number; log: (line: string) => void }): Promise<{ port: number; close(): Promise<void> }>;
}
const STEPS: Record<string, () => Promise<Step>> = {
  '07-rules': () => import('../07-rules/server.ts'),
  '08-deltas': () => import('../08-deltas/server.ts'),
  '09-smooth': () => import('../09-smooth/server.ts'),
  '10-predict': () => import('../10-predict/server.ts'),
};
const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

test('the game pages load, draw ticks and raise no errors', async (t) => {
  const browser = await bounded(
    chromium.launch({ executablePath, args: ['--disable-background-networking', '--no-first-run'] }),
    'Chromium to start',
  );
  t.after(() => browser.close());
  for (const [name, load] of Object.entries(STEPS)) {
    await t.test(name, async (t) => {
      const step = await (await load()).start({ port: 0, log: () => {} });
      const page = await browser.newPage();
      // The page first: the server's close waits for its sockets, which a page still open keeps.
      t.after(async () => {
        await page.close();
        await step.close();
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${step.port}/?lag=100`);
      await page.waitForFunction(() => /tick \d+/.test(document.getElementById('status')?.textContent ?? ''), undefined, {
        timeout: 10_000,
      });
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowLeft');
      if (name === '10-predict') {
        await page.waitForFunction(
          () => /drawn [1-9]\d* ticks ahead/.test(document.getElementById('status')?.textContent ?? ''),
          undefined,
          { timeout: 10_000 },
        );
      }
      await page.waitForFunction(() => /tick \d+/.test(document.getElementById('status')?.textContent ?? ''), undefined, {
        timeout: 10_000,
      });
      assert.deepEqual(errors, []);
    });
  }
});
