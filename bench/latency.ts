// `npm run bench -- --latency`: how soon the page answers a key, and how often motion stalls,
// measured in the real page in headless Chromium. Key press to the own head drawn moving the
// new way (and to the head drawn facing it), p50/p95, at lag 0 and lag 150 ms + 0-30 ms jitter,
// prediction on and off; then stall frames per minute under 30 ms of jitter with the jitter
// buffer and with arrival pacing (?buffer=0), with bots moving in the room.
// Must not: time anything through Playwright's round trips (bench/latency-page.js times it in
// the page), or leave a process running. Tutorial: docs/tutorial/08-measuring.md; bench/README.md.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserServer, type Page, chromium } from '@playwright/test';
import type { WireFormat } from '@snakepit/shared';
import {
  type DirName,
  type LatencyConfig,
  type LatencyRun,
  type LatencyView,
  type Sample,
  type StallRun,
  chooseTurn,
  latencyTable,
  missingFields,
  missingFieldsMessage,
  percentiles,
  stallTable,
  steerAway,
  summarise,
  targetLines,
} from './latency-report.ts';
import { ROOT, adopt, benchServerEnv, deadline, sleep, startLoad, startServer, stopChild, tempDir } from './procs.ts';
import { fmt } from './stats.ts';

const CONFIGS: readonly LatencyConfig[] = [
  { label: 'lag 0, prediction on', lagMs: 0, jitterMs: 0, predict: true },
  { label: 'lag 0, prediction off', lagMs: 0, jitterMs: 0, predict: false },
  { label: 'lag 150 + 0-30 ms, prediction on', lagMs: 150, jitterMs: 30, predict: true },
  { label: 'lag 150 + 0-30 ms, prediction off', lagMs: 150, jitterMs: 30, predict: false },
];
/** The stall-frame part's link: no lag, 0-30 ms of jitter each way. */
const STALL_LINK = { lagMs: 0, jitterMs: 30 };
const KEYS: Record<DirName, string> = { up: 'ArrowUp', right: 'ArrowRight', down: 'ArrowDown', left: 'ArrowLeft' };
/** A turn is sampled only with this many free cells ahead in its direction (see chooseTurn). */
const MIN_RUN = 10;
/** While playing without sampling, turn away when the way ahead has fewer free cells than this. */
const NEAR_WALL = 4;
/** A press whose head has not moved the new way by then is dropped (lag 150 without prediction takes ~0.5 s). */
const SAMPLE_TIMEOUT_MS = 3000;
/** A turn still unacknowledged after this long is given up on (the next sample goes ahead). */
const PENDING_WAIT_MS = 3000;
/**
 * Small, so that SwiftShader (WebGL on the CPU in headless Chromium) keeps up: at 1280x720 a
 * busy 2-core machine draws a handful of frames per second, and the targets count frames.
 */
const VIEWPORT = { width: 640, height: 360 };
/** Playing before the stall window, so the jitter buffer has seen the link. */
const STALL_WARMUP_MS = 5000;

export interface LatencyBenchOptions {
  /** Kept samples per page configuration. */
  readonly samples: number;
  /** Each stall-frame window, seconds. */
  readonly stallS: number;
  readonly tickRate: number;
  readonly wire: WireFormat;
  /** Bots in the stall-frame room. */
  readonly bots: number;
}

export interface LatencyBenchResult {
  readonly markdown: string;
  readonly json: Record<string, unknown>;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const log = (m: string) => console.error(`[bench] ${m}`);

function pageUrl(base: string, room: string, link: { lagMs: number; jitterMs: number }, predict: boolean, buffered: boolean): string {
  const q = new URLSearchParams({ room, debug: '1' });
  if (link.lagMs || link.jitterMs) {
    q.set('lag', String(link.lagMs));
    q.set('jitter', String(link.jitterMs));
  }
  if (!predict) q.set('predict', '0');
  if (!buffered) q.set('buffer', '0');
  return `${base}/?${q}`;
}

type Hooked = Window & {
  __snakepit?: LatencyView;
  __snakepitBench: { arm(d: string, c: string, t: number): void; result(): Promise<Sample>; frames(): number; takeIntervals(): number[] };
};

const view = (page: Page) => page.evaluate(() => (window as unknown as Hooked).__snakepit as LatencyView);

/** A fresh page (own context) that has joined `url`'s room and checked the debug hook. */
async function openPage(browser: Browser, url: string, expectPredict: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript({ path: join(ROOT, 'bench/latency-page.js') });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await page.getByTestId('name-input').fill('latency');
  await page.getByTestId('play-button').click();
  try {
    await page.waitForFunction(() => (window as unknown as Hooked).__snakepit?.me?.alive === true);
  } catch (err) {
    throw new Error(
      `the page at ${url} did not start playing: ${await describePage(page)} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const missing = missingFields(await page.evaluate(() => (window as unknown as Hooked).__snakepit));
  if (missing.length) throw new Error(missingFieldsMessage(missing));
  const v = await view(page);
  if (v.predict !== expectPredict) throw new Error(`the page at ${url} says predict=${v.predict}: it ignored ?predict=`);
  return page;
}

/** What the page shows and its hook says, for an error message. */
async function describePage(page: Page): Promise<string> {
  try {
    const text = async (id: string) => (await page.getByTestId(id).textContent({ timeout: 2000 }))?.trim() || '-';
    const v = await page.evaluate(
      () => (window as unknown as { __snakepit?: { connected: boolean; tick: number; outdated: unknown } }).__snakepit,
    );
    const hook = v ? `connected=${v.connected} tick=${v.tick} outdated=${JSON.stringify(v.outdated)}` : 'missing';
    return `status "${await text('connection-status')}", notice "${await text('notice')}", hook ${hook}`;
  } catch (err) {
    return `(could not read the page: ${String(err)})`;
  }
}

async function respawn(page: Page): Promise<void> {
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (window as unknown as Hooked).__snakepit?.me?.alive === true, undefined, { timeout: 10_000 });
}

/** Presses keys until `samples` presses have been timed in the page (see bench/latency-page.js). */
async function sampleConfig(page: Page, config: LatencyConfig, samples: number, tickMs: number): Promise<LatencyRun> {
  const out: Sample[] = [];
  const rtts: number[] = [];
  const buffers: number[] = [];
  let kept = 0;
  let pendingSince = 0;
  await page.evaluate(() => (window as unknown as Hooked).__snakepitBench.takeIntervals());
  while (kept < samples) {
    if (out.length >= samples * 3) {
      throw new Error(
        `${config.label}: only ${kept} of ${samples} presses timed after ${out.length} tries: ${JSON.stringify(summarise({ config, samples: out, rttMs: null, bufferMs: null, frameP50Ms: 0, frameP95Ms: 0 }))}`,
      );
    }
    const v = await view(page);
    const me = v.me;
    if (!me?.alive) {
      await respawn(page);
      continue;
    }
    if (!me.head || !me.dir || !v.board) {
      await sleep(20);
      continue;
    }
    // The previous turn first: the state the next press starts from is the server's as well.
    if (me.pending > 0) {
      pendingSince ||= performance.now();
      if (performance.now() - pendingSince < PENDING_WAIT_MS) {
        await sleep(10);
        continue;
      }
    }
    pendingSince = 0;
    const dir = chooseTurn(v.board, { head: me.head, dir: me.dir, body: me.body }, MIN_RUN);
    if (!dir) {
      const away = steerAway(v.board, { head: me.head, dir: me.dir, body: me.body }, NEAR_WALL);
      if (away) await page.keyboard.press(KEYS[away]);
      await sleep(tickMs / 2);
      continue;
    }
    // A random moment within a tick, so the presses fall at every phase of the server's tick.
    await sleep(Math.random() * tickMs);
    await page.evaluate(([d, c, t]) => (window as unknown as Hooked).__snakepitBench.arm(d, c, t), [
      dir,
      KEYS[dir],
      SAMPLE_TIMEOUT_MS,
    ] as const);
    await page.keyboard.press(KEYS[dir]);
    const s = await deadline(
      page.evaluate(() => (window as unknown as Hooked).__snakepitBench.result()),
      SAMPLE_TIMEOUT_MS + 10_000,
      `${config.label}: the page timing a key press`,
    );
    out.push(s);
    if ('headMs' in s) kept++;
    if (v.rtt !== null) rtts.push(v.rtt);
    buffers.push(v.buffer);
  }
  const frames = percentiles(await page.evaluate(() => (window as unknown as Hooked).__snakepitBench.takeIntervals()));
  return { config, samples: out, rttMs: mean(rtts), bufferMs: mean(buffers), frameP50Ms: frames.p50, frameP95Ms: frames.p95 };
}

/** Plays for `ms` keeping the snake off walls and itself; returns the mean of `sample` over polls. */
async function play(page: Page, ms: number, sample: (v: LatencyView) => void): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const v = await view(page);
    sample(v);
    const me = v.me;
    if (me && !me.alive) await page.keyboard.press('Space');
    else if (me?.head && me.dir && v.board) {
      const away = steerAway(v.board, { head: me.head, dir: me.dir, body: me.body }, NEAR_WALL);
      if (away) await page.keyboard.press(KEYS[away]);
    }
    await sleep(Math.min(100, Math.max(0, until - performance.now())));
  }
}

async function stallWindow(browser: Browser, base: string, buffered: boolean, seconds: number): Promise<StallRun> {
  const label = `lag 0 + 0-30 ms jitter, ${buffered ? 'jitter buffer' : 'arrival pacing (?buffer=0)'}`;
  const page = await openPage(browser, pageUrl(base, 'bench-0', STALL_LINK, true, buffered), true);
  try {
    log(`${label}: warming up ${STALL_WARMUP_MS / 1000} s, then ${seconds} s`);
    await play(page, STALL_WARMUP_MS, () => {});
    const frames0 = await page.evaluate(() => (window as unknown as Hooked).__snakepitBench.frames());
    const v0 = await view(page);
    const started = performance.now();
    const buffers: number[] = [];
    const snakes: number[] = [];
    await play(page, seconds * 1000, (v) => {
      buffers.push(v.buffer);
      snakes.push(v.players.filter((p) => p.alive).length);
    });
    const v1 = await view(page);
    const frames1 = await page.evaluate(() => (window as unknown as Hooked).__snakepitBench.frames());
    return {
      label,
      buffered,
      seconds: (performance.now() - started) / 1000,
      frames: frames1 - frames0,
      stallFrames: v1.stallFrames - v0.stallFrames,
      bufferMs: mean(buffers) ?? Number.NaN,
      snakes: mean(snakes) ?? Number.NaN,
    };
  } finally {
    await page.context().close();
  }
}

export async function runLatencyBench(opts: LatencyBenchOptions): Promise<LatencyBenchResult> {
  if (!existsSync(join(ROOT, 'client/dist/index.html')) || !existsSync(join(ROOT, 'server/dist/main.js'))) {
    throw new Error('client/dist or server/dist is missing: run `npm run build` first');
  }
  const tickMs = 1000 / opts.tickRate;
  const server = await startServer({
    env: { ...benchServerEnv(tempDir('snakepit-bench-data-')), TICK_RATE: String(opts.tickRate), WIRE_FORMAT: opts.wire },
  });
  log(`server ready on port ${server.port} (pid ${server.pid})`);
  let load: ReturnType<typeof startLoad> | null = null;
  let chromiumServer: BrowserServer | null = null;
  let browser: Browser | null = null;
  try {
    const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    // launchServer rather than launch: it hands over Chromium's process, so it is ended by PID.
    chromiumServer = await chromium.launchServer({
      ...(executablePath ? { executablePath } : {}),
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
      timeout: 30_000,
    });
    adopt(chromiumServer.process());
    browser = await chromium.connect(chromiumServer.wsEndpoint(), { timeout: 30_000 });
    log(`Chromium started (pid ${chromiumServer.process().pid}${executablePath ? `, ${executablePath}` : ''})`);

    // ---- key -> head: one quiet room per configuration (a closed page's snake is held as away) ----
    const runs: LatencyRun[] = [];
    for (const [i, config] of CONFIGS.entries()) {
      log(`${config.label}: ${opts.samples} presses`);
      const page = await openPage(browser, pageUrl(server.base, `latency-${i}`, config, config.predict, true), config.predict);
      try {
        const run = await deadline(
          sampleConfig(page, config, opts.samples, tickMs),
          opts.samples * 3 * (SAMPLE_TIMEOUT_MS + 2 * tickMs) + 60_000,
          config.label,
        );
        runs.push(run);
        const s = summarise(run);
        log(
          `  key -> head p50 ${fmt(s.head.p50, 0)} / p95 ${fmt(s.head.p95, 0)} ms; facing p50 ${fmt(s.facing.p50, 0)} / p95 ${fmt(s.facing.p95, 0)} ms`,
        );
      } finally {
        await page.context().close();
      }
    }

    // ---- stall frames: bots moving in bench-0, 0-30 ms of jitter, buffer vs arrival pacing ----
    load = startLoad({ port: server.port, players: opts.bots, rooms: 1, wire: opts.wire, tickMs, connectConcurrency: 8 });
    await load.next('joined', 30_000);
    log(`${opts.bots} bots joined room bench-0 (bot pid ${load.pid})`);
    const stalls: StallRun[] = [];
    for (const buffered of [true, false]) {
      stalls.push(
        await deadline(stallWindow(browser, server.base, buffered, opts.stallS), (opts.stallS + 60) * 1000, 'the stall-frame window'),
      );
    }

    const summaries = runs.map(summarise);
    const targets = targetLines(summaries, stalls, tickMs);
    const markdown = [
      `Key press to the own head drawn moving the new way, timed in the page (a capture keydown listener, then window.__snakepit read after every ` +
        `animation frame), ${opts.samples} kept presses per page, one room each, ${opts.tickRate} ticks/s, ${opts.wire}; lag and jitter are the page's ` +
        `own ?lag=&jitter= (each way). Stall frames: ${opts.bots} bots + the page in one room, ${opts.stallS} s each, after ${STALL_WARMUP_MS / 1000} s of play. ` +
        `Headless Chromium, ${VIEWPORT.width}x${VIEWPORT.height}.`,
      latencyTable(summaries),
      stallTable(stalls),
      `Targets:\n${targets.join('\n')}`,
    ].join('\n\n');
    return {
      markdown,
      json: { scenario: 'latency', tickRate: opts.tickRate, wire: opts.wire, samples: opts.samples, latency: summaries, stalls },
    };
  } finally {
    await browser?.close().catch(() => {});
    const chromiumProcess = chromiumServer?.process();
    await chromiumServer?.close().catch(() => {});
    if (chromiumProcess) await stopChild(chromiumProcess, 3000);
    await load?.stop();
    await server.stop();
    log(
      `stopped ${chromiumProcess ? `Chromium (pid ${chromiumProcess.pid}), ` : ''}${load ? `the bot process (pid ${load.pid}), ` : ''}the server (pid ${server.pid})`,
    );
  }
}
