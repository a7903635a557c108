// Browser tests: real Chromium against the built server (`npm run build` first; `npm test`
// does it). The server is started by Playwright on a free port chosen here, never a fixed one.
// A system Chromium (Debian's /usr/bin/chromium) is used when present, Playwright's own
// browser otherwise, so the same command works on CI and on a laptop.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import { freePort } from './helpers.ts';

// Chosen once in the runner; the workers it starts inherit it through the environment.
process.env.E2E_PORT ??= String(await freePort());
const port = Number(process.env.E2E_PORT);
const root = fileURLToPath(new URL('..', import.meta.url));
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export default defineConfig({
  testDir: '.',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // One worker: every page renders WebGL in software (SwiftShader), and two cores are busy
  // enough with one browser plus the server; a second browser only makes both slower
  // (compare `npx playwright test -c e2e --workers 2` on a two-core machine).
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: `${root}/test-results/e2e.json` }]],
  outputDir: `${root}/test-results/e2e`,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions: {
      executablePath: systemChromium,
      // Playwright adds --no-sandbox (needed as root) and --enable-unsafe-swiftshader (WebGL
      // without a GPU); these keep Chromium from reaching for the network on its own.
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node server/dist/main.js',
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    // No bots unless a test's room asks for them (?bots=4): the other tests count their players.
    env: { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TICK_RATE: '10', BOTS_MIN_SNAKES: '0' },
    reuseExistingServer: false,
    timeout: 20_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
