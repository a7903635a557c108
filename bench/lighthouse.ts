// `npm run bench -- --lighthouse`: how the page scores in Lighthouse's default audit (a mid-range
// phone on a slow 4G link, simulated throttling), run against the built server on a free port
// with the system Chromium when there is one. Prints the four category scores, the core timings
// and every audit that cost points, so a regression says where it comes from. One audit of a
// page swings by 100 ms or more of blocking time on a shared machine, so it audits several times
// (--samples, default 5) and reports the median run as Lighthouse's own tools pick it, with the
// spread beside it.
// Must not: audit the Vite dev server (unbundled, uncompressed) or leave Chromium running.
// Tutorial: docs/tutorial/08-measuring.md; bench/README.md explains every number.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import { ROOT, benchServerEnv, deadline, startServer, tempDir } from './procs.ts';
import { fmt, markdownTable } from './stats.ts';

type Result = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/** The timings Lighthouse weighs into performance, with the unit each is shown in. */
const TIMINGS = [
  { id: 'first-contentful-paint', label: 'first contentful paint', unit: 's' },
  { id: 'largest-contentful-paint', label: 'largest contentful paint', unit: 's' },
  { id: 'total-blocking-time', label: 'total blocking time', unit: 'ms' },
  { id: 'speed-index', label: 'speed index', unit: 's' },
  { id: 'cumulative-layout-shift', label: 'cumulative layout shift', unit: '' },
] as const;
/** The issue's targets: category scores out of 100, timings in ms. */
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100, fcpMs: 1500, tbtMs: 150 };
/**
 * The flags the browser tests give Chromium (e2e/playwright.config.ts), plus what Playwright adds
 * on its own: no sandbox (we run as root) and software WebGL, so the page sees what a phone's
 * browser would offer rather than a missing GPU.
 */
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface LighthouseResult {
  readonly markdown: string;
  readonly json: Record<string, unknown>;
}

/**
 * `runs` audits of the page, one after another in one Chromium; reports the median run.
 * `reportPath`: also write that run's whole Lighthouse report (JSON) there, to read every audit.
 * `checkout`: audit the page another built checkout serves (a git worktree of an older commit).
 */
export async function runLighthouseBench(runs = 5, reportPath?: string, checkout: string = ROOT): Promise<LighthouseResult> {
  if (!existsSync(join(checkout, 'client/dist/index.html')) || !existsSync(join(checkout, 'server/dist/main.js'))) {
    throw new Error(`${checkout}: client/dist or server/dist is missing: run \`npm run build\` there first`);
  }
  const log = (m: string) => console.error(`[bench] ${m}`);
  const server = await startServer({ env: benchServerEnv(tempDir('snakepit-bench-data-')), checkout });
  const chromePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  let chrome: chromeLauncher.LaunchedChrome | null = null;
  try {
    log(`server ready on port ${server.port} (pid ${server.pid}); starting ${chromePath ?? 'the Chrome chrome-launcher finds'}`);
    chrome = await chromeLauncher.launch({ ...(chromePath ? { chromePath } : {}), chromeFlags: CHROME_FLAGS, logLevel: 'error' });
    const url = `${server.base}/`;
    const all: Result[] = [];
    for (let i = 1; i <= runs; i++) {
      const result = await deadline(
        lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] }),
        180_000,
        'the Lighthouse run',
      );
      if (!result) throw new Error('Lighthouse returned no result');
      const r = result.lhr;
      if (r.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${r.runtimeError.code} ${r.runtimeError.message}`);
      log(
        `run ${i}/${runs}: performance ${Math.round((r.categories.performance?.score ?? 0) * 100)}, ` +
          `total blocking time ${fmt(r.audits['total-blocking-time']?.numericValue ?? Number.NaN, 0)} ms`,
      );
      all.push(r);
    }
    // The run nearest the median first contentful paint and time to interactive.
    const lhr = computeMedianRun(all);
    if (reportPath) {
      writeFileSync(reportPath, JSON.stringify(lhr, null, 1));
      log(`Lighthouse's full report of the median run: ${reportPath}`);
    }
    const scoreOf = (r: Result, id: (typeof CATEGORIES)[number]) => Math.round((r.categories[id]?.score ?? 0) * 100);
    const score = (id: (typeof CATEGORIES)[number]) => scoreOf(lhr, id);
    const timingOf = (r: Result, id: string) => r.audits[id]?.numericValue ?? Number.NaN;
    const timing = (id: string) => timingOf(lhr, id);
    const show = (t: (typeof TIMINGS)[number], v: number) =>
      t.unit === 's' ? `${fmt(v / 1000, 2)} s` : t.unit === 'ms' ? `${fmt(v, 0)} ms` : fmt(v, 3);
    const shown = (t: (typeof TIMINGS)[number]) => show(t, timing(t.id));
    /** Lowest to highest over all the runs. */
    const spread = (values: number[], format: (v: number) => string) => {
      const v = [...values].sort((x, y) => x - y);
      return v[0] === v[v.length - 1] ? format(v[0]!) : `${format(v[0]!)} to ${format(v[v.length - 1]!)}`;
    };
    // Audits that cost points: failed ones in a scored category, and the opportunities that
    // Lighthouse estimates would save time.
    const costly: string[][] = [];
    for (const id of CATEGORIES) {
      for (const ref of lhr.categories[id]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (!audit || audit.score === null || audit.score >= 0.9 || audit.scoreDisplayMode === 'informative') continue;
        if (audit.scoreDisplayMode === 'notApplicable' || audit.scoreDisplayMode === 'manual') continue;
        costly.push([id, ref.id, fmt(audit.score, 2), audit.displayValue ?? '']);
      }
    }
    const table = markdownTable(
      ['metric', 'median run', `all ${runs} runs`, 'target'],
      [
        ...CATEGORIES.map((id) => [
          `${id} score`,
          String(score(id)),
          spread(
            all.map((r) => scoreOf(r, id)),
            String,
          ),
          `>= ${TARGETS[id]}`,
        ]),
        // Lighthouse's own measure of this machine's CPU: its throttling assumes a fast desktop
        // (an index around 1000 or more), and a slower or busy machine inflates every CPU figure.
        [
          'benchmark index (CPU speed Lighthouse saw)',
          fmt(lhr.environment.benchmarkIndex, 0),
          spread(
            all.map((r) => r.environment.benchmarkIndex),
            (v) => fmt(v, 0),
          ),
          '',
        ],
        ...TIMINGS.map((t) => [
          t.label,
          shown(t),
          spread(
            all.map((r) => timingOf(r, t.id)),
            (v) => show(t, v),
          ),
          t.id === 'first-contentful-paint'
            ? `<= ${TARGETS.fcpMs / 1000} s`
            : t.id === 'total-blocking-time'
              ? `<= ${TARGETS.tbtMs} ms`
              : '',
        ]),
      ],
    );
    const checks = [
      ...CATEGORIES.map((id) => ({ what: `${id} >= ${TARGETS[id]}`, ok: score(id) >= TARGETS[id], got: String(score(id)) })),
      {
        what: `first contentful paint <= ${TARGETS.fcpMs / 1000} s`,
        ok: timing('first-contentful-paint') <= TARGETS.fcpMs,
        got: shown(TIMINGS[0]),
      },
      { what: `total blocking time <= ${TARGETS.tbtMs} ms`, ok: timing('total-blocking-time') <= TARGETS.tbtMs, got: shown(TIMINGS[2]) },
    ];
    const markdown = [
      `Lighthouse ${lhr.lighthouseVersion}, default audit (${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod} throttling), ` +
        `${lhr.environment.hostUserAgent.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? 'Chromium'} (${chromePath ?? 'found by chrome-launcher'}), ` +
        `against the built server (\`node server/dist/main.js\`${checkout === ROOT ? '' : ` of ${checkout}`}) on 127.0.0.1; ${runs} runs, the median one shown (Lighthouse's computeMedianRun).`,
      table,
      `Targets:\n${checks.map((c) => `- ${c.what}: ${c.got} -> ${c.ok ? 'PASS' : 'MISS'}`).join('\n')}`,
      costly.length ? markdownTable(['category', 'audit that cost points', 'score', 'detail'], costly) : 'No audit cost points.',
    ].join('\n\n');
    return {
      markdown,
      json: {
        scenario: 'lighthouse',
        runs,
        performanceScores: all.map((r) => scoreOf(r, 'performance')),
        totalBlockingTimesMs: all.map((r) => timingOf(r, 'total-blocking-time')),
        lighthouseVersion: lhr.lighthouseVersion,
        benchmarkIndex: lhr.environment.benchmarkIndex,
        scores: Object.fromEntries(CATEGORIES.map((id) => [id, score(id)])),
        timingsMs: Object.fromEntries(TIMINGS.map((t) => [t.id, timing(t.id)])),
        costly: costly.map(([category, audit]) => ({ category, audit })),
      },
    };
  } finally {
    chrome?.kill();
    await server.stop();
    log(`stopped Chromium and the server (pid ${server.pid})`);
  }
}
