// `npm run bench -- --lighthouse`: how the page scores in Lighthouse's default audit (a mid-range
// phone on a slow 4G link, simulated throttling), run against the built server on a free port
// with the system Chromium when there is one. Prints the four category scores, the core timings
// and every audit that cost points, so a regression says where it comes from.
// Must not: audit the Vite dev server (unbundled, uncompressed) or leave Chromium running.
// Tutorial: docs/tutorial/08-measuring.md; bench/README.md explains every number.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { ROOT, benchServerEnv, deadline, startServer, tempDir } from './procs.ts';
import { fmt, markdownTable } from './stats.ts';

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

export async function runLighthouseBench(): Promise<LighthouseResult> {
  if (!existsSync(join(ROOT, 'client/dist/index.html')) || !existsSync(join(ROOT, 'server/dist/main.js'))) {
    throw new Error('client/dist or server/dist is missing: run `npm run build` first');
  }
  const log = (m: string) => console.error(`[bench] ${m}`);
  const server = await startServer({ env: benchServerEnv(tempDir('snakepit-bench-data-')) });
  const chromePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  let chrome: chromeLauncher.LaunchedChrome | null = null;
  try {
    log(`server ready on port ${server.port} (pid ${server.pid}); starting ${chromePath ?? 'the Chrome chrome-launcher finds'}`);
    chrome = await chromeLauncher.launch({ ...(chromePath ? { chromePath } : {}), chromeFlags: CHROME_FLAGS, logLevel: 'error' });
    const url = `${server.base}/`;
    const result = await deadline(
      lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] }),
      180_000,
      'the Lighthouse run',
    );
    if (!result) throw new Error('Lighthouse returned no result');
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const score = (id: (typeof CATEGORIES)[number]) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    const timing = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
    const shown = (t: (typeof TIMINGS)[number]) => {
      const v = timing(t.id);
      return t.unit === 's' ? `${fmt(v / 1000, 2)} s` : t.unit === 'ms' ? `${fmt(v, 0)} ms` : fmt(v, 3);
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
      ['metric', 'value', 'target'],
      [
        ...CATEGORIES.map((id) => [`${id} score`, String(score(id)), `>= ${TARGETS[id]}`]),
        // Lighthouse's own measure of this machine's CPU: its throttling assumes a fast desktop
        // (an index around 1000 or more), and a slower or busy machine inflates every CPU figure.
        ['benchmark index (CPU speed Lighthouse saw)', fmt(lhr.environment.benchmarkIndex, 0), ''],
        ...TIMINGS.map((t) => [
          t.label,
          shown(t),
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
        'against the built server (`node server/dist/main.js`) on 127.0.0.1.',
      table,
      `Targets:\n${checks.map((c) => `- ${c.what}: ${c.got} -> ${c.ok ? 'PASS' : 'MISS'}`).join('\n')}`,
      costly.length ? markdownTable(['category', 'audit that cost points', 'score', 'detail'], costly) : 'No audit cost points.',
    ].join('\n\n');
    return {
      markdown,
      json: {
        scenario: 'lighthouse',
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
